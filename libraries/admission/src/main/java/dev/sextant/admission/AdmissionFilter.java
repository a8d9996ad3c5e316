package dev.sextant.admission;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admission control of a servlet service: a request to the service's API ({@link AdmissionProperties#paths()})
 * takes a permit of {@link Admission} or is answered at once 503 with {@code Retry-After} and a problem
 * ({@code application/problem+json}), before any of the service's own work. Installed after the request's
 * observation, so refusals are counted in {@code http.server.requests} like any answer.
 */
public final class AdmissionFilter extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Admission admission;

    public AdmissionFilter(Admission admission) {
        this.admission = admission;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !admission.guards(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Admission.Permit> acquired = admission.tryAcquire();
        if (acquired.isEmpty()) {
            refuse(request, response);
            return;
        }
        Admission.Permit permit = acquired.get();
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            permit.abandoned();
            throw e;
        }
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    permit.answered(response.getStatus());
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    permit.abandoned();
                }

                @Override
                public void onError(AsyncEvent event) {
                    permit.abandoned();
                }

                @Override
                public void onStartAsync(AsyncEvent event) {}
            });
        } else {
            permit.answered(response.getStatus());
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Service Unavailable");
        problem.put("status", HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        problem.put("detail", admission.refusal());
        problem.put("instance", request.getRequestURI());
        byte[] body = JSON.writeValueAsBytes(problem);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader(
                HttpHeaders.RETRY_AFTER, Long.toString(admission.retryAfter().toSeconds()));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
