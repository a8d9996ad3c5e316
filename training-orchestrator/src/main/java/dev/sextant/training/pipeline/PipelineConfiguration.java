package dev.sextant.training.pipeline;

import dev.sextant.registry.client.RegistryClient;
import dev.sextant.training.TrainingProperties;
import dev.sextant.training.dataset.DatasetBuilder;
import dev.sextant.training.trainer.Trainers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pipeline, with its jobs' working directories under the data directory and the jobs' default limits. */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    @Bean
    TrainingPipeline trainingPipeline(
            DatasetBuilder datasets,
            RegistryClient registry,
            Trainers trainers,
            Registration registration,
            TrainingProperties properties) {
        return new TrainingPipeline(
                datasets,
                registry,
                trainers,
                registration,
                properties.dataDir().resolve("jobs"),
                properties.defaults());
    }
}
