package dev.sextant.training.trainer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The trainers jobs can name, in the order they are listed. A new learner is one more {@link Trainer} here. */
public class Trainers {

    private final Map<String, Trainer> byName = new LinkedHashMap<>();

    public Trainers(List<Trainer> trainers) {
        for (Trainer trainer : trainers) {
            byName.put(trainer.name(), trainer);
        }
    }

    public Optional<Trainer> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
