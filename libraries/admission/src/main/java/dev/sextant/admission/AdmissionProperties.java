package dev.sextant.admission;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admission control of a service ({@code sextant.admission}): how many requests it works on at once. The limit
 * adapts (Netflix concurrency-limits' Gradient2): it grows while latency stays near its long-run average and
 * shrinks when latency rises beyond {@code rttTolerance} times it, between {@code minLimit} and {@code maxLimit}.
 *
 * @param enabled off: every request is admitted (the filter is not installed)
 * @param initialLimit the limit before any latency is measured
 * @param minLimit the limit never falls below this: a service always answers some requests
 * @param maxLimit the limit never grows beyond this; at most the server's worker threads, so no request waits for a
 *     thread behind the limit
 * @param rttTolerance how much slower than the long-run average a request may be before the limit shrinks
 * @param paths the path prefixes admitted under the limit (the service's API); others (health, metrics) always pass
 * @param retryAfter what a refusal's {@code Retry-After} asks the client to wait
 */
@ConfigurationProperties("sextant.admission")
public record AdmissionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20") int initialLimit,
        @DefaultValue("4") int minLimit,
        @DefaultValue("64") int maxLimit,
        @DefaultValue("2.0") double rttTolerance,
        @DefaultValue({"/api/", "/v2/"}) List<String> paths,
        @DefaultValue("1s") Duration retryAfter) {

    public AdmissionProperties {
        if (minLimit < 1 || minLimit > initialLimit || initialLimit > maxLimit) {
            throw new IllegalArgumentException("sextant.admission needs 1 <= min-limit <= initial-limit <= max-limit,"
                    + " got " + minLimit + ", " + initialLimit + ", " + maxLimit);
        }
        if (!(rttTolerance >= 1)) {
            throw new IllegalArgumentException(
                    "sextant.admission.rtt-tolerance must be at least 1, got " + rttTolerance);
        }
        if (retryAfter.isNegative() || retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("sextant.admission.retry-after must be at least 1s, got " + retryAfter);
        }
        paths = List.copyOf(paths);
    }

    /** Whether a request to this path counts against the limit. */
    public boolean admits(String path) {
        for (String prefix : paths) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
