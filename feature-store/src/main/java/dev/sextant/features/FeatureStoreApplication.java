package dev.sextant.features;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class FeatureStoreApplication {

    public static void main(String[] args) {
        SpringApplication.run(FeatureStoreApplication.class, args);
    }

    @Bean
    EventTimes eventTimes(FeatureStoreProperties properties, Clock clock) {
        return new EventTimes(clock, properties.maxClockSkew());
    }
}
