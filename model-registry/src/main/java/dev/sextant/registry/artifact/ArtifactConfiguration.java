package dev.sextant.registry.artifact;

import dev.sextant.registry.RegistryProperties;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The artifact store: files under {@code sextant.registry.artifact-dir}. */
@Configuration(proxyBeanMethods = false)
class ArtifactConfiguration {

    @Bean
    FileSystemArtifactStore artifactStore(RegistryProperties properties) throws IOException {
        return new FileSystemArtifactStore(properties.artifactDir());
    }
}
