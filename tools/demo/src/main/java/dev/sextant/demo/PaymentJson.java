package dev.sextant.demo;

import dev.sextant.examples.fraud.FraudWorld.Payment;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A payment as the platform sees it: the event on {@code transactions.v1} (contracts/events/transactions.v1.md), its
 * outcome on {@code labels.v1} (contracts/events/labels.v1.md) and the domain API's scoring request. The label's
 * {@code event_id} is the payment's id, which is also the scoring request's id, so monitoring can join the outcome to
 * the score. Both carry the authorisation as {@code event_time}: when the payment happened and was scored, so
 * training reads the features as they stood just before it.
 */
final class PaymentJson {

    private PaymentJson() {}

    /**
     * The payment's record for {@code transactions.v1}, keyed by card as the topic's contract says, and always in
     * partition 0. The feature store repartitions the topic by merchant for {@code merchant_txn_stats}; payments
     * spread over several partitions reach a merchant's windows in the order the stream's tasks commit them,
     * which for a history replayed in seconds is minutes of event time apart, so the merchant windows the history
     * leaves offline would undercount what serving sees live (docs/synthetic-world.md). One partition keeps the
     * whole world in time order.
     */
    static ProducerRecord<String, String> record(Payment payment) {
        return new ProducerRecord<>("transactions.v1", 0, payment.card().id(), transaction(payment));
    }

    /**
     * The payment as recorded, once its scoring decision is made, dated when it happened: its authorisation. The
     * features of a time are those written before it, so the payment's own row is not in the features that train
     * for its label (dated the same), as it was not in those that scored it.
     */
    static String transaction(Payment payment) {
        return "{\"transaction_id\": \"" + payment.id() + "\", \"card_id\": \""
                + payment.card().id()
                + "\", \"merchant_id\": \"" + payment.merchant().id() + "\", \"amount\": " + payment.amount()
                + ", \"currency\": \"EUR\", \"country\": \"" + payment.country() + "\", \"event_time\": \""
                + payment.authorizedAt() + "\"}";
    }

    static String label(Payment payment, Instant labelTime) {
        return "{\"event_id\": \"" + payment.id() + "\", \"label\": " + (payment.fraud() ? 1 : 0)
                + ", \"event_time\": \"" + payment.authorizedAt() + "\", \"label_time\": \"" + labelTime + "\", "
                + entitiesAndRequest(payment) + "}";
    }

    static String predictRequest(Payment payment) {
        return "{\"id\": \"" + payment.id() + "\", " + entitiesAndRequest(payment) + "}";
    }

    private static String entitiesAndRequest(Payment payment) {
        return "\"entities\": {\"card_id\": \"" + payment.card().id() + "\", \"merchant_id\": \""
                + payment.merchant().id() + "\"}, \"request\": {\"amount\": " + payment.amount() + ", \"country\": \""
                + payment.country() + "\"}";
    }
}
