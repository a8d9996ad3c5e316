package dev.sextant.training.job;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.training.TrainingProperties;
import dev.sextant.training.trainer.Trainers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** Jobs resolved from the defaults and the models' recipes, and the service that creates them. */
@Configuration(proxyBeanMethods = false)
class JobConfiguration {

    @Bean
    JobSpecs jobSpecs(TrainingProperties properties, Trainers trainers, FeatureRepository repository) {
        return new JobSpecs(properties.defaults(), properties.models(), trainers, repository);
    }

    @Bean
    JobService jobService(
            JobRepository jobs,
            JobSpecs specs,
            TransactionTemplate transactions,
            TrainingProperties properties,
            Clock clock,
            MeterRegistry meters) {
        return new JobService(jobs, specs, transactions, properties.retrain(), clock, meters);
    }
}
