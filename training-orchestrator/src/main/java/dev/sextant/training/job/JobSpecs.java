package dev.sextant.training.job;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.online.FeatureSelection;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.training.TrainingProperties;
import dev.sextant.training.TrainingProperties.Alternative;
import dev.sextant.training.TrainingProperties.FeatureSpec;
import dev.sextant.training.TrainingProperties.Gate;
import dev.sextant.training.TrainingProperties.ModelRecipe;
import dev.sextant.training.evaluation.BinaryMetrics;
import dev.sextant.training.trainer.Hyperparameter;
import dev.sextant.training.trainer.Trainer;
import dev.sextant.training.trainer.Trainers;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Resolves a request into a complete {@link JobSpec}, or refuses it with a message naming the field. */
class JobSpecs {

    static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final String REQUEST = "request:";
    /** Each trainer of a job trains on the whole training split: a bound on one job's cost. */
    static final int MAX_ALTERNATIVES = 4;

    private final TrainingProperties.Defaults defaults;
    private final Map<String, ModelRecipe> recipes;
    private final Trainers trainers;
    private final FeatureRepository repository;

    /**
     * @param defaults what a job gets where neither its request nor its model's recipe says
     * @param recipes each model's recipe by name
     */
    JobSpecs(
            TrainingProperties.Defaults defaults,
            Map<String, ModelRecipe> recipes,
            Trainers trainers,
            FeatureRepository repository) {
        this.defaults = defaults;
        this.recipes = Map.copyOf(recipes);
        this.trainers = trainers;
        this.repository = repository;
    }

    JobSpec resolve(JobRequest request, Instant now) {
        if (request == null
                || request.model() == null
                || !MODEL.matcher(request.model()).matches()) {
            throw new InvalidJobException("model must be 1-63 lowercase letters, digits, '-', '_' or '.', starting"
                    + " with a letter or digit; got " + (request == null ? null : request.model()));
        }
        if (request.reason() != null && request.reason().length() > 2000) {
            throw new InvalidJobException("reason must be at most 2000 characters");
        }
        ModelRecipe recipe = recipes.get(request.model());
        String trainerName = first(request.trainer(), recipe == null ? null : recipe.trainer(), defaults.trainer());
        Trainer trainer = trainers.find(trainerName)
                .orElseThrow(() -> new InvalidJobException(
                        "trainer '" + trainerName + "' is unknown; known: " + trainers.names()));
        List<FeatureSpec> features =
                request.features() != null ? request.features() : recipe == null ? null : recipe.features();
        if (features == null || features.isEmpty()) {
            throw new InvalidJobException("features must list the model's inputs: model '" + request.model()
                    + "' has no recipe in sextant.training.models");
        }
        checkFeatures(features);
        String segmentBy = first(request.segmentBy(), recipe == null ? null : recipe.segmentBy(), null);
        if (segmentBy != null && !segmentBy.startsWith(REQUEST)) {
            try {
                FeatureSelection.of(repository, List.of(segmentBy));
            } catch (InvalidFeatureRequestException e) {
                throw new InvalidJobException("segment_by: " + e.getMessage());
            }
        }
        Instant to = request.dataTo() == null ? now : request.dataTo();
        Instant from = request.dataFrom() == null ? to.minus(defaults.window()) : request.dataFrom();
        if (!from.isBefore(to)) {
            throw new InvalidJobException("data_from (" + from + ") must be before data_to (" + to + ")");
        }
        // The recipe's settings belong to the recipe's trainer; a job naming another trainer starts from its defaults.
        Map<String, Double> hyperparameters = new LinkedHashMap<>();
        if (recipe != null && trainerName.equals(first(recipe.trainer(), defaults.trainer(), null))) {
            hyperparameters.putAll(recipe.hyperparameters());
        }
        if (request.hyperparameters() != null) {
            hyperparameters.putAll(request.hyperparameters());
        }
        checkSettings(trainer, hyperparameters, "hyperparameters");
        List<Alternative> alternatives = request.alternatives() != null
                ? request.alternatives()
                : request.trainer() == null && recipe != null ? recipe.alternatives() : List.of();
        if (alternatives.size() > MAX_ALTERNATIVES) {
            throw new InvalidJobException("alternatives lists " + alternatives.size() + " trainers; at most "
                    + MAX_ALTERNATIVES + " train in one job");
        }
        for (int i = 0; i < alternatives.size(); i++) {
            Alternative alternative = alternatives.get(i);
            String where = "alternatives[" + i + "]";
            if (alternative == null || alternative.trainer() == null) {
                throw new InvalidJobException(where + ".trainer is required; known: " + trainers.names());
            }
            Trainer named = trainers.find(alternative.trainer())
                    .orElseThrow(() -> new InvalidJobException(
                            where + ".trainer '" + alternative.trainer() + "' is unknown; known: " + trainers.names()));
            checkSettings(named, alternative.hyperparameters(), where + ".hyperparameters");
        }
        return new JobSpec(
                request.model(),
                trainerName,
                features,
                from,
                to,
                segmentBy,
                hyperparameters,
                alternatives,
                gate(request.gate(), defaults.gate()),
                defaults.validationFraction(),
                defaults.testFraction(),
                defaults.targetPositiveRate(),
                defaults.minRows(),
                defaults.challengerAlias());
    }

    private static void checkSettings(Trainer trainer, Map<String, Double> values, String where) {
        Map<String, Hyperparameter> settings = trainer.hyperparameters();
        values.forEach((name, value) -> {
            Hyperparameter setting = settings.get(name);
            if (setting == null) {
                throw new InvalidJobException(where + "." + name + " is not a setting of " + trainer.name()
                        + "; it takes " + settings.keySet());
            }
            if (!setting.accepts(value)) {
                throw new InvalidJobException(where + "." + name + " must be " + setting.range() + ", got " + value);
            }
        });
    }

    private void checkFeatures(List<FeatureSpec> features) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            FeatureSpec feature = features.get(i);
            String where = "features[" + i + "]";
            if (feature == null || feature.ref() == null || !feature.ref().contains(":")) {
                throw new InvalidJobException(where + ".ref must be 'view:feature' or 'request:name'");
            }
            if (!seen.add(feature.ref())) {
                throw new InvalidJobException(where + ".ref '" + feature.ref() + "' is bound twice");
            }
            if (feature.defaultValue() == null || !Double.isFinite(feature.defaultValue())) {
                throw new InvalidJobException(where + ".default is required (a finite number): serving uses it"
                        + " when '" + feature.ref() + "' is missing or stale, and training uses the same");
            }
            if (feature.ref().startsWith(REQUEST)) {
                if (feature.ref().length() == REQUEST.length()) {
                    throw new InvalidJobException(where + ".ref 'request:' needs a name");
                }
                continue;
            }
            ValueType type;
            try {
                type = FeatureSelection.of(repository, List.of(feature.ref()))
                        .requested()
                        .get(0)
                        .feature()
                        .type();
            } catch (InvalidFeatureRequestException e) {
                throw new InvalidJobException(where + ".ref: " + e.getMessage());
            }
            if (type == ValueType.STRING) {
                throw new InvalidJobException(where + ".ref '" + feature.ref()
                        + "' is a STRING feature; the trainers take numeric and boolean features");
            }
        }
    }

    private static Gate gate(JobRequest.GateRequest request, Gate defaults) {
        if (request == null) {
            return defaults;
        }
        String metric = request.metric() == null ? defaults.metric() : request.metric();
        if (!BinaryMetrics.NAMES.contains(metric)) {
            throw new InvalidJobException("gate.metric '" + metric + "' is unknown; known: " + BinaryMetrics.NAMES);
        }
        Map<String, Double> floors = request.floors() == null ? defaults.floors() : request.floors();
        floors.forEach((name, value) -> {
            if (!BinaryMetrics.NAMES.contains(name) || value == null || !Double.isFinite(value)) {
                throw new InvalidJobException("gate.floors." + name + " must be a known metric with a finite floor");
            }
        });
        double margin = request.minImprovement() == null ? defaults.minImprovement() : request.minImprovement();
        if (!(margin >= 0 && margin <= 1)) {
            // Below 0, a candidate worse than the champion would pass the gate.
            throw new InvalidJobException("gate.min_improvement must be a number from 0 to 1, got " + margin);
        }
        return new Gate(metric, margin, floors);
    }

    private static String first(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }
}
