package dev.sextant.training.labels;

import dev.sextant.training.TrainingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The label archive, in its configured directory. */
@Configuration(proxyBeanMethods = false)
class LabelsConfiguration {

    @Bean
    LabelArchive labelArchive(TrainingProperties properties) {
        return new LabelArchive(properties.labels().archivePath());
    }
}
