package dev.sextant.features.definitions;

import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.DefinitionFile;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Loads the feature repository at startup: the directory named by {@code sextant.features.repository}, or the
 * fraud repository bundled in the jar. A definition error stops the service with a message naming the file
 * and the field.
 */
@Configuration(proxyBeanMethods = false)
class DefinitionsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DefinitionsConfiguration.class);

    @Bean
    FeatureRepository featureRepository(FeatureStoreProperties properties) throws IOException {
        String directory = properties.repository();
        FeatureRepository repository = directory == null || directory.isBlank()
                ? FeatureRepositoryLoader.load(bundled())
                : FeatureRepositoryLoader.load(Path.of(directory));
        log.info(
                "feature repository {}: {} entities, {} feature views",
                directory == null || directory.isBlank() ? "(bundled)" : directory,
                repository.entities().size(),
                repository.views().size());
        return repository;
    }

    private static List<DefinitionFile> bundled() throws IOException {
        Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath:feature-repo/*.yaml");
        Arrays.sort(resources, Comparator.comparing(Resource::getFilename));
        List<DefinitionFile> files = new ArrayList<>();
        for (Resource resource : resources) {
            files.add(new DefinitionFile(resource.getFilename(), resource.getContentAsString(StandardCharsets.UTF_8)));
        }
        return files;
    }
}
