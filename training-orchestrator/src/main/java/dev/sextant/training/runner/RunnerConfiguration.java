package dev.sextant.training.runner;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.job.InstanceId;
import dev.sextant.training.job.JobDispatcher;
import dev.sextant.training.job.JobRepository;
import dev.sextant.training.kubernetes.KubernetesDispatcher;
import dev.sextant.training.kubernetes.KubernetesJobLauncher;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The runner's settings, and the dispatcher {@code sextant.training.jobs.runner} names. */
@Configuration(proxyBeanMethods = false)
class RunnerConfiguration {

    @Bean
    TrainingProperties.Jobs jobSettings(TrainingProperties properties) {
        return properties.jobs();
    }

    @Bean
    JobDispatcher jobDispatcher(
            TrainingProperties properties,
            JobRepository jobs,
            JobExecution execution,
            InstanceId instance,
            Clock clock,
            JsonMapper json) {
        TrainingProperties.Jobs settings = properties.jobs();
        return switch (settings.runner()) {
            case IN_PROCESS -> new InProcessDispatcher(jobs, execution, settings, instance, clock);
            case KUBERNETES ->
                new KubernetesDispatcher(
                        jobs,
                        new KubernetesJobLauncher(
                                properties.kubernetes(), properties.labels().archivePath(), json),
                        settings.staleAfter(),
                        clock);
        };
    }
}
