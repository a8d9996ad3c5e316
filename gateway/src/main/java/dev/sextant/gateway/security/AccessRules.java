package dev.sextant.gateway.security;

import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Which role each request needs: the gateway's whole authorization matrix in one place, used to decide (403) and
 * to say what was missing.
 *
 * <p>The decision is made on the path as the backends will read it: percent-decoded ({@code artifac%74} is
 * {@code artifact}: the registry decodes it), without trailing slashes, and in lower case (a backend that matched
 * {@code ARTIFACT} would be served as a read otherwise). The firewall in front has already refused paths with
 * {@code ..}, {@code //}, an encoded separator, period or percent, so the path decodes once, to one meaning, and
 * matching by prefix is safe. {@code GatewaySecurityIT} drives every route class with such variants.
 */
final class AccessRules {

    /** What a request needs. */
    enum Access {
        /** The gateway's own health and metrics, and the API documentation: no credentials. */
        PUBLIC,
        /** Predictions and reads: a client with the {@code predict} role (administrators have it too). */
        PREDICT,
        /** Everything that changes state or exports data: the {@code admin} role. */
        ADMIN,
        /** Any other actuator endpoint: nobody. */
        NOBODY;

        Optional<Role> role() {
            return switch (this) {
                case PREDICT -> Optional.of(Role.PREDICT);
                case ADMIN -> Optional.of(Role.ADMIN);
                default -> Optional.empty();
            };
        }
    }

    private AccessRules() {}

    static Access required(ServerHttpRequest request) {
        return required(request.getMethod(), request.getURI().getPath());
    }

    /** @param decodedPath the request's path, percent-decoded */
    static Access required(HttpMethod method, String decodedPath) {
        String path = normalised(decodedPath);
        if (path.startsWith("/actuator")) {
            boolean exposed = path.equals("/actuator/health")
                    || path.startsWith("/actuator/health/")
                    || path.equals("/actuator/info")
                    || path.equals("/actuator/prometheus");
            return exposed && isRead(method) ? Access.PUBLIC : Access.NOBODY;
        }
        if (isRead(method) && isDocumentation(path)) {
            return Access.PUBLIC;
        }
        if (under(path, "/v2") || under(path, "/api/v1/predict")) {
            return Access.PREDICT;
        }
        if (HttpMethod.POST.equals(method) && path.equals("/api/v1/features/online")) {
            return Access.PREDICT;
        }
        if (isRead(method)) {
            // A model's files (its ONNX artifact, its native model) and training data leave only to an admin.
            boolean dataExport = under(path, "/api/v1/features/historical")
                    || path.endsWith("/artifact")
                    || (under(path, "/api/v1/models") && path.endsWith("/native"));
            boolean readable = path.equals("/api/v1/features/views")
                    || under(path, "/api/v1/models")
                    || under(path, "/api/v1/training")
                    || under(path, "/api/v1/monitoring");
            if (readable && !dataExport) {
                return Access.PREDICT;
            }
        }
        return Access.ADMIN;
    }

    private static String normalised(String decodedPath) {
        int end = decodedPath.length();
        while (end > 1 && decodedPath.charAt(end - 1) == '/') {
            end--;
        }
        return decodedPath.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** The services' OpenAPI documents and Swagger UI: descriptions of the API, no data. */
    private static boolean isDocumentation(String path) {
        return path.startsWith("/openapi/")
                || path.equals("/swagger-ui.html")
                || path.startsWith("/swagger-ui/")
                || path.startsWith("/webjars/")
                || under(path, "/v3/api-docs");
    }

    private static boolean isRead(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
