package dev.sextant.gateway.security;

import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What is refused (400) before authentication, authorization and routing: Spring Security's strict firewall
 * (paths with {@code ..}, {@code //}, {@code ;}, a backslash, an encoded separator, period or percent; odd
 * methods), and any way of asking for another method than the request's own: the {@code X-HTTP-Method-Override}
 * family of headers and a {@code _method} parameter. The gateway decides roles by method, so a backend that
 * honoured an override would turn a read into a write behind its back.
 */
final class RequestFirewall implements ServerWebExchangeFirewall {

    static final List<String> METHOD_OVERRIDE_HEADERS =
            List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
    static final String METHOD_PARAMETER = "_method";

    private final StrictServerWebExchangeFirewall strict = new StrictServerWebExchangeFirewall();

    @Override
    public Mono<ServerWebExchange> getFirewalledExchange(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        for (String header : METHOD_OVERRIDE_HEADERS) {
            if (headers.containsHeader(header)) {
                return Mono.error(new ServerExchangeRejectedException(
                        "the header " + header + " is not accepted: send the request with the method itself"));
            }
        }
        String query = request.getURI().getRawQuery();
        if (query != null
                && query.contains(METHOD_PARAMETER)
                && request.getQueryParams().containsKey(METHOD_PARAMETER)) {
            return Mono.error(new ServerExchangeRejectedException(
                    "the parameter " + METHOD_PARAMETER + " is not accepted: send the request with the method itself"));
        }
        return strict.getFirewalledExchange(exchange);
    }
}
