package dev.sextant.training.job;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The name this instance claims jobs under: {@code sextant.training.jobs.instance-id}, by default the host name
 * (a pod's name on Kubernetes). It survives a restart of the process, so the restarted instance knows which
 * running jobs were its own and resumes them at once.
 */
@Component
public class InstanceId {

    private final String value;

    InstanceId(@Value("${sextant.training.jobs.instance-id:}") String configured) {
        this.value = configured.isBlank() ? hostName() : configured;
    }

    public String value() {
        return value;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
