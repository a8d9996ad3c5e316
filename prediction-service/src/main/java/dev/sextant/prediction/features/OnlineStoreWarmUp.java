package dev.sextant.prediction.features;

import dev.sextant.features.client.online.OnlineFeatureReader;
import dev.sextant.features.client.online.OnlineStoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Connects to the online store and runs its read path once before the service reports ready, so the first domain
 * prediction does not wait for Lettuce to connect on a cold JVM (most of a second on a busy laptop, which pushed
 * it past the gateway's response timeout). Redis being down does not hold the service back: the warm-up is
 * logged and skipped, and the connection is made by the first request that finds Redis back.
 */
@Component
class OnlineStoreWarmUp implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(OnlineStoreWarmUp.class);

    private final OnlineFeatureReader reader;

    OnlineStoreWarmUp(OnlineFeatureReader reader) {
        this.reader = reader;
    }

    @Override
    public void run(ApplicationArguments args) {
        long start = System.nanoTime();
        try {
            reader.warmUp();
            log.info(
                    "online store connected and read path warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (OnlineStoreUnavailableException e) {
            log.warn("online store not warmed up (the first request will connect): {}", e.getMessage());
        }
    }
}
