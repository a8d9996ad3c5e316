package dev.sextant.training.trainer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The trainers jobs can name. A new learner is one more {@link Trainer} here. */
@Component
public class Trainers {

    private final Map<String, Trainer> byName = new LinkedHashMap<>();

    Trainers() {
        for (Trainer trainer : List.of(
                new TribuoTrainer(TribuoTrainer.Kind.LOGISTIC_REGRESSION),
                new TribuoTrainer(TribuoTrainer.Kind.FACTORIZATION_MACHINE))) {
            byName.put(trainer.name(), trainer);
        }
    }

    public Optional<Trainer> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
