package dev.sextant.features.online;

import dev.sextant.features.EventTimes;
import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.online.FeatureRow;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import dev.sextant.features.offline.OfflineStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Push", description = "Writes rows of a feature view to the online store")
class PushController {

    private static final String EVENT_TIMESTAMP = "event_timestamp";

    private final FeatureRepository repository;
    private final OnlineFeatureWriter writer;
    private final OfflineStore offline;
    private final EventTimes times;
    private final int maxRows;
    private final Counter written;

    PushController(
            FeatureRepository repository,
            OnlineFeatureWriter writer,
            OfflineStore offline,
            FeatureStoreProperties.Online settings,
            EventTimes times,
            MeterRegistry meters) {
        this.repository = repository;
        this.writer = writer;
        this.offline = offline;
        this.times = times;
        this.maxRows = settings.maxPushRows();
        this.written = Counter.builder("sextant.features.online.rows.written")
                .description("Rows written to the online store through the push API")
                .register(meters);
    }

    /**
     * Each row holds the view's join keys, its features (absent = null) and {@code event_timestamp}; {@code to}
     * is {@code online} (default), {@code offline} or {@code online_and_offline}.
     */
    record PushRequest(String featureView, List<Map<String, Object>> rows, String to) {}

    /** Online: rows written and rows skipped as older than the stored one; offline: rows appended. */
    record PushResponse(String featureView, int written, int skippedAsOlder, int appendedOffline) {}

    @PostMapping(path = "/api/v1/features/push", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Write rows online (a row older than the stored one for its entity is skipped) and/or"
                    + " append them to the offline store")
    PushResponse push(@RequestBody PushRequest request) {
        if (request.featureView() == null) {
            throw new InvalidFeatureRequestException("feature_view is required");
        }
        FeatureView view = repository
                .view(request.featureView())
                .orElseThrow(() -> new InvalidFeatureRequestException("unknown feature view '" + request.featureView()
                        + "'; known: "
                        + repository.views().stream().map(FeatureView::name).toList()));
        List<Map<String, Object>> rows = request.rows();
        if (rows == null || rows.isEmpty()) {
            throw new InvalidFeatureRequestException("rows must hold at least one row");
        }
        if (rows.size() > maxRows) {
            throw new InvalidFeatureRequestException("at most " + maxRows + " rows per push, got " + rows.size());
        }
        Set<String> joinKeys = view.joinKeys().stream().map(JoinKey::name).collect(Collectors.toSet());
        List<FeatureRow> featureRows = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            featureRows.add(row(view, rows.get(i), joinKeys, i));
        }
        String to = request.to() == null ? "online" : request.to();
        if (!List.of("online", "offline", "online_and_offline").contains(to)) {
            throw new InvalidFeatureRequestException(
                    "to must be online, offline or online_and_offline, got '" + request.to() + "'");
        }
        int appended = 0;
        if (!to.equals("online")) {
            offline.append(view, featureRows);
            appended = featureRows.size();
        }
        if (to.equals("offline")) {
            return new PushResponse(view.name(), 0, 0, appended);
        }
        OnlineFeatureWriter.WriteResult result = writer.write(view, featureRows);
        written.increment(result.written());
        return new PushResponse(view.name(), result.written(), result.skippedAsOlder(), appended);
    }

    private FeatureRow row(FeatureView view, Map<String, Object> row, Set<String> joinKeys, int index) {
        if (row == null) {
            throw new InvalidFeatureRequestException("rows[" + index + "] must be an object");
        }
        Map<String, Object> keys = new HashMap<>();
        Map<String, Object> values = new HashMap<>();
        row.forEach((name, value) -> {
            if (joinKeys.contains(name)) {
                keys.put(name, value);
            } else if (!EVENT_TIMESTAMP.equals(name)) {
                values.put(name, value);
            }
        });
        return FeatureRow.checked(view, index, keys, eventTime(row.get(EVENT_TIMESTAMP), index), values);
    }

    private Instant eventTime(Object value, int index) {
        return value == null ? null : times.parse(value, "rows[" + index + "].event_timestamp");
    }
}
