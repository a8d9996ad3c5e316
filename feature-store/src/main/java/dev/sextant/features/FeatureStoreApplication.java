package dev.sextant.features;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FeatureStoreApplication {

    public static void main(String[] args) {
        SpringApplication.run(FeatureStoreApplication.class, args);
    }
}
