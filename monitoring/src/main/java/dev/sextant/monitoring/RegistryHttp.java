package dev.sextant.monitoring;

import java.time.Duration;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.web.client.RestClient;

/** How monitoring calls the model registry: at {@code registry-url}, 2 s to connect, 10 s to answer. */
public final class RegistryHttp {

    private RegistryHttp() {}

    public static RestClient client(RestClient.Builder builder, MonitoringProperties properties) {
        HttpClientSettings settings =
                HttpClientSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));
        return builder.clone()
                .baseUrl(properties.registryUrl().toString())
                .requestFactory(ClientHttpRequestFactoryBuilder.jdk().build(settings))
                .build();
    }
}
