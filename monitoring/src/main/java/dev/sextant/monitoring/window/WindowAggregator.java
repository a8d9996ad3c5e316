package dev.sextant.monitoring.window;

import dev.sextant.monitoring.MonitoringProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Tumbling windows per model version, by event time: a log whose time is past the window's span, or that would
 * exceed its count, closes the window (handed to the closer, which judges it) and opens the next. Called by the
 * one consumer thread.
 */
@Component
public class WindowAggregator {

    private final MonitoringProperties.Window settings;
    private final Map<String, ModelWindow> open = new HashMap<>();
    private final Counter duplicates;
    private Consumer<ModelWindow> closer = window -> {};

    public WindowAggregator(MonitoringProperties properties, MeterRegistry meters) {
        this.settings = properties.window();
        this.duplicates = Counter.builder("sextant.monitoring.logs")
                .description("prediction logs consumed, by outcome")
                .tag("outcome", "duplicate")
                .register(meters);
    }

    /** Who receives each closed window. */
    public void onClose(Consumer<ModelWindow> closer) {
        this.closer = closer;
    }

    public synchronized void accept(PredictionLog log) {
        String key = log.model() + "/" + log.version();
        ModelWindow window = open.get(key);
        if (window != null
                && (!log.time().isBefore(window.start().plus(settings.duration()))
                        || (settings.count() > 0 && window.predictions() >= settings.count()))) {
            closer.accept(window);
            window = null;
        }
        if (window == null) {
            window = new ModelWindow(log.model(), log.version(), log.time());
            open.put(key, window);
        }
        if (!window.add(log)) {
            duplicates.increment();
        }
    }
}
