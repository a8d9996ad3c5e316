package dev.sextant.features.offline;

import dev.sextant.features.FeatureStoreProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the feature store's disk bounded: training sets are deleted {@code training-set-retention} after they were
 * written (their callers download them right away), and staged entity-row uploads that a crash left behind
 * {@code upload-retention} after they were staged. Only files named as the feature store names them ({@code
 * <uuid>.parquet}) are touched.
 */
@Component
class DiskRetention {

    private static final Logger log = LoggerFactory.getLogger(DiskRetention.class);
    private static final Pattern OURS =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.parquet");

    private final Path trainingSets;
    private final Path uploads;
    private final Duration trainingSetRetention;
    private final Duration uploadRetention;
    private final Clock clock;
    private final Counter deletedTrainingSets;
    private final Counter deletedUploads;

    DiskRetention(FeatureStoreProperties.Offline offline, Clock clock, MeterRegistry meters) {
        this.trainingSets = offline.trainingSetsPath().toAbsolutePath().normalize();
        this.uploads = HistoricalController.uploads(offline);
        this.trainingSetRetention = offline.trainingSetRetention();
        this.uploadRetention = offline.uploadRetention();
        this.clock = clock;
        this.deletedTrainingSets = deleted(meters, "training_set");
        this.deletedUploads = deleted(meters, "upload");
    }

    private static Counter deleted(MeterRegistry meters, String kind) {
        return Counter.builder("sextant.features.offline.files.deleted")
                .description("Training sets and staged uploads deleted past their retention")
                .tag("kind", kind)
                .register(meters);
    }

    @Scheduled(
            initialDelayString = "${sextant.features.offline.cleanup-interval}",
            fixedDelayString = "${sextant.features.offline.cleanup-interval}")
    void sweep() {
        Instant now = clock.instant();
        deletedTrainingSets.increment(deleteOlderThan(trainingSets, now.minus(trainingSetRetention)));
        deletedUploads.increment(deleteOlderThan(uploads, now.minus(uploadRetention)));
    }

    /** Deletes this store's files in {@code directory} last modified before {@code cutoff}; answers how many. */
    private static int deleteOlderThan(Path directory, Instant cutoff) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                try {
                    if (OURS.matcher(file.getFileName().toString()).matches()
                            && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
                            && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile (an upload whose request finished)
                }
            }
        } catch (IOException e) {
            log.warn("cannot clean up {}: {}", directory, e.toString());
        }
        if (deleted > 0) {
            log.info("deleted {} files past retention in {}", deleted, directory);
        }
        return deleted;
    }
}
