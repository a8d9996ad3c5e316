package dev.sextant.training.kubernetes;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.job.TrainingJob;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a claimed job as a Kubernetes Job ({@code batch/v1}) through the API server, with the pod's service account
 * token and the cluster CA. The Job runs the orchestrator's own image as a worker for that one job
 * (the runner's {@code WorkerMode}), under the name the job was claimed with, so its heartbeats and results pass the owner
 * check; if the pod never runs, the heartbeat goes stale and the job is claimed and launched again.
 */
public final class KubernetesJobLauncher {

    private final TrainingProperties.Kubernetes settings;
    private final String archivePath;
    private final JsonMapper json;
    private final HttpClient http;

    /** @param archivePath the labels' archive, which the worker reads as the orchestrator does */
    public KubernetesJobLauncher(TrainingProperties.Kubernetes settings, Path archivePath, JsonMapper json) {
        this.settings = settings;
        this.archivePath = archivePath.toString();
        this.json = json;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (settings.apiUrl().getScheme().equals("https") && Files.isRegularFile(settings.caPath())) {
            builder.sslContext(trusting(settings));
        }
        this.http = builder.build();
    }

    /** The name of the Kubernetes Job (and the worker's instance id) for an attempt of a job. */
    public static String name(TrainingJob job, int attempt) {
        return "training-" + job.id().substring(0, 8) + "-" + job.id().substring(9, 13) + "-a" + attempt;
    }

    /** Creates the Kubernetes Job; throws when the API server refuses it. */
    public void launch(TrainingJob job, String name) {
        String body = json.writeValueAsString(manifest(job, name));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(settings.apiUrl() + "/apis/batch/v1/namespaces/" + settings.namespace() + "/jobs"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (Files.isRegularFile(settings.tokenPath())) {
            try {
                request.header(
                        "Authorization",
                        "Bearer " + Files.readString(settings.tokenPath()).trim());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the service account token " + settings.tokenPath(), e);
            }
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the Kubernetes API at " + settings.apiUrl() + " is unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kubernetes Job " + name, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("the Kubernetes API refused Job " + name + ": HTTP " + response.statusCode()
                    + " " + response.body());
        }
    }

    Map<String, Object> manifest(TrainingJob job, String name) {
        Map<String, String> labels = Map.of(
                "app.kubernetes.io/name", "training-worker",
                "app.kubernetes.io/part-of", "sextant",
                "sextant.dev/training-job", job.id());
        Map<String, Object> resources = Map.of("cpu", settings.cpu(), "memory", settings.memory());
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "worker");
        container.put("image", settings.image());
        container.put(
                "args",
                List.of(
                        "--sextant.training.worker.job-id=" + job.id(),
                        "--sextant.training.jobs.instance-id=" + name,
                        "--spring.main.web-application-type=none",
                        // The root file system is read-only: work files go to the pod's emptyDir.
                        "--sextant.training.data-dir=/tmp/training",
                        "--sextant.training.labels.enabled=false",
                        "--sextant.training.retrain.enabled=false"));
        container.put(
                "envFrom",
                List.of(
                        Map.of("configMapRef", Map.of("name", settings.configMap(), "optional", true)),
                        Map.of("secretRef", Map.of("name", settings.secret(), "optional", true))));
        container.put("resources", Map.of("requests", resources, "limits", resources));
        container.put(
                "securityContext",
                Map.of(
                        "runAsNonRoot", true,
                        "allowPrivilegeEscalation", false,
                        "readOnlyRootFilesystem", true,
                        "capabilities", Map.of("drop", List.of("ALL")),
                        // The namespace enforces the restricted pod security standard (k8s/base/namespace.yaml).
                        "seccompProfile", Map.of("type", "RuntimeDefault")));
        container.put(
                "volumeMounts",
                List.of(
                        Map.of("name", "work", "mountPath", "/tmp"),
                        Map.of("name", "labels", "mountPath", archivePath, "readOnly", true)));
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("serviceAccountName", settings.serviceAccount());
        pod.put("restartPolicy", "Never");
        pod.put("containers", List.of(container));
        pod.put(
                "volumes",
                List.of(
                        Map.of("name", "work", "emptyDir", Map.of()),
                        Map.of(
                                "name",
                                "labels",
                                "persistentVolumeClaim",
                                Map.of("claimName", settings.labelsClaim()))));
        Map<String, Object> spec = new LinkedHashMap<>();
        // The orchestrator retries (a new Job per attempt); Kubernetes must not run a second pod of this one.
        spec.put("backoffLimit", 0);
        spec.put("ttlSecondsAfterFinished", 86_400);
        spec.put("template", Map.of("metadata", Map.of("labels", labels), "spec", pod));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "batch/v1");
        manifest.put("kind", "Job");
        manifest.put("metadata", Map.of("name", name, "namespace", settings.namespace(), "labels", labels));
        manifest.put("spec", spec);
        return manifest;
    }

    private static SSLContext trusting(TrainingProperties.Kubernetes settings) {
        try (InputStream ca = Files.newInputStream(settings.caPath())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(ca)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the cluster CA " + settings.caPath(), e);
        }
    }
}
