package dev.sextant.training.trainer;

import dev.sextant.training.dataset.Matrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Oracle Tribuo's SGD classifiers: logistic regression (the baseline) and a factorization machine (pairwise
 * feature crosses, as click and fraud data reward), both trained with AdaGrad on standardized columns and
 * exported to ONNX by Tribuo.
 */
public final class TribuoTrainer implements Trainer {

    static final Label POSITIVE = new Label("1");
    static final Label NEGATIVE = new Label("0");

    /** Which Tribuo learner. */
    public enum Kind {
        LOGISTIC_REGRESSION,
        FACTORIZATION_MACHINE
    }

    private final Kind kind;

    public TribuoTrainer(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Map<String, Hyperparameter> hyperparameters() {
        Map<String, Hyperparameter> settings = new LinkedHashMap<>();
        settings.put("epochs", Hyperparameter.count(3, 1, 1_000));
        settings.put("learning_rate", Hyperparameter.real(0.1, 1e-6, 10));
        if (kind == Kind.LOGISTIC_REGRESSION) {
            // Not for the factorization machine: Tribuo 4.3.2 fails to merge its minibatch gradients
            // (ClassCastException in FMParameters.merge), so it learns from one example at a time.
            settings.put("minibatch_size", Hyperparameter.count(16, 1, 65_536));
        }
        // Any whole number a double holds exactly.
        settings.put("seed", Hyperparameter.count(12345, -(1L << 53), 1L << 53));
        if (kind == Kind.FACTORIZATION_MACHINE) {
            // Each factor is a dense vector per input column in the model and the ONNX graph.
            settings.put("factors", Hyperparameter.count(6, 1, 256));
            settings.put("variance", Hyperparameter.real(0.1, 1e-6, 10));
        }
        return settings;
    }

    @Override
    public TrainedModel train(TrainingData data, Map<String, Double> hyperparameters) {
        Matrix x = data.features();
        Standardization standardization = Standardization.of(x);
        String[] names = featureNames(x.columns());
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset =
                new MutableDataset<>(new SimpleDataSourceProvenance("training split", factory), factory);
        List<Example<Label>> examples = new ArrayList<>(x.rows());
        for (int r = 0; r < x.rows(); r++) {
            examples.add(
                    new ArrayExample<>(data.labels()[r] ? POSITIVE : NEGATIVE, names, standardization.apply(x, r)));
        }
        dataset.addAll(examples);
        examples.clear();
        int epochs = (int) Math.round(hyperparameters.get("epochs"));
        double learningRate = hyperparameters.get("learning_rate");
        int minibatch = (int) Math.round(hyperparameters.getOrDefault("minibatch_size", 1.0));
        long seed = Math.round(hyperparameters.get("seed"));
        Model<Label> model =
                switch (kind) {
                    case LOGISTIC_REGRESSION ->
                        new LinearSGDTrainer(
                                        new LogMulticlass(), new AdaGrad(learningRate), epochs, -1, minibatch, seed)
                                .train(dataset);
                    case FACTORIZATION_MACHINE ->
                        new FMClassificationTrainer(
                                        new LogMulticlass(),
                                        new AdaGrad(learningRate),
                                        epochs,
                                        -1,
                                        minibatch,
                                        seed,
                                        (int) Math.round(hyperparameters.get("factors")),
                                        hyperparameters.get("variance"))
                                .train(dataset);
                };
        if (model.getFeatureIDMap().size() != x.columns()) {
            throw new IllegalStateException(
                    "the model kept " + model.getFeatureIDMap().size() + " of " + x.columns()
                            + " columns; a column without any value cannot be trained on");
        }
        return new TribuoModel(model, standardization, names, data.negativeRate(), data.modelName(), name());
    }

    /**
     * Names whose lexicographic order is the column order: Tribuo numbers features by sorted name, and the ONNX
     * input's columns follow those numbers.
     */
    static String[] featureNames(int columns) {
        String[] names = new String[columns];
        for (int c = 0; c < columns; c++) {
            names[c] = String.format("f%04d", c);
        }
        return names;
    }
}
