import dev.sextant.localservers.Backlog;
import dev.sextant.testsupport.PredictionLogs;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The monitoring benchmark's backlog (tools/bench/monitoring.sh): registers {@code models} models (version 1,
 * with the reference of {@link PredictionLogs}) in a registry, then writes {@code count} of their prediction logs to
 * {@code prediction-logs.v1} (3 partitions, keyed by model), round robin. Each model's event times advance 100 ms
 * per log, so its 5-minute windows close every 3,000 logs. Prints how long producing took.
 *
 * <p>Usage: {@code java -cp <test-support's classpath> tools/bench/LogLoad.java <bootstrap> <registry url> <count>
 * <models>}
 */
public final class LogLoad {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String registry = args[1];
        int count = Integer.parseInt(args[2]);
        int models = Integer.parseInt(args[3]);
        List<PredictionLogs> generators = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            String name = "bench-model-" + m;
            PredictionLogs.register(registry, name);
            generators.add(new PredictionLogs(name, m));
            names.add(name);
        }
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = Backlog.producer(bootstrap, "prediction-logs.v1")) {
            for (int i = 0; i < count; i++) {
                int m = i % models;
                PredictionLogs generator = generators.get(m);
                producer.send(new ProducerRecord<>(
                        "prediction-logs.v1", names.get(m), generator.log("bench-" + i, generator.row(1.0))));
            }
        }
        System.out.printf(
                "produced %d prediction logs of %d models in %.1f s%n",
                count, models, (System.nanoTime() - started) / 1e9);
    }
}
