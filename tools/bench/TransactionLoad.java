import dev.sextant.localservers.Backlog;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes synthetic transactions to {@code transactions.v1} (3 partitions, keyed by card), as the documented
 * schema says (contracts/events/transactions.v1.md): event times spread evenly over the last {@code seconds}, in
 * order, across {@code cards} cards and {@code merchants} merchants. Prints how long producing took.
 *
 * <p>Usage: {@code java -cp <local-servers' classpath> tools/bench/TransactionLoad.java <bootstrap> <count>
 * <cards> <merchants> <seconds>}
 */
public class TransactionLoad {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int count = Integer.parseInt(args[1]);
        int cards = Integer.parseInt(args[2]);
        int merchants = Integer.parseInt(args[3]);
        long spanMs = Long.parseLong(args[4]) * 1000;
        SplittableRandom random = new SplittableRandom(42);
        long start = System.currentTimeMillis() - spanMs;
        long began = System.nanoTime();
        try (KafkaProducer<String, String> producer = Backlog.producer(bootstrap, "transactions.v1")) {
            for (int i = 0; i < count; i++) {
                String card = "card-" + random.nextInt(cards);
                String merchant = "merchant-" + random.nextInt(merchants);
                double amount = Math.round(random.nextDouble() * 30_000) / 100.0;
                String time = Instant.ofEpochMilli(start + spanMs * i / count).toString();
                String value = "{\"transaction_id\":\"" + new UUID(random.nextLong(), random.nextLong())
                        + "\",\"card_id\":\"" + card + "\",\"merchant_id\":\"" + merchant + "\",\"amount\":" + amount
                        + ",\"currency\":\"EUR\",\"country\":\"FR\",\"event_time\":\"" + time + "\"}";
                producer.send(new ProducerRecord<>("transactions.v1", card, value));
            }
            producer.flush();
        }
        System.out.printf(
                "produced %,d transactions (%,d cards, %,d merchants) in %.1f s%n",
                count, cards, merchants, (System.nanoTime() - began) / 1e9);
    }
}
