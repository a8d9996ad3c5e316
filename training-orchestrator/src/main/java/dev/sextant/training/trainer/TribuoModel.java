package dev.sextant.training.trainer;

import ai.onnx.proto.OnnxMl;
import dev.sextant.training.dataset.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * A trained Tribuo classifier and the ONNX graph it is served as: raw columns → standardization → Tribuo's own
 * exported graph (class probabilities) → the positive class's probability, corrected for the downsampled
 * negatives: {@code p = p1 / (p1 + p0 / r)} where {@code r} is the share of negatives kept (Bayes' rule with
 * the training prior undone). The same correction is applied to Tribuo's own predictions, so the two can be
 * compared.
 */
final class TribuoModel implements TrainedModel {

    private final Model<Label> model;
    private final Standardization standardization;
    private final String[] names;
    private final double negativeRate;
    private final String modelName;
    private final String trainer;

    TribuoModel(
            Model<Label> model,
            Standardization standardization,
            String[] names,
            double negativeRate,
            String modelName,
            String trainer) {
        this.model = model;
        this.standardization = standardization;
        this.names = names;
        this.negativeRate = negativeRate;
        this.modelName = modelName;
        this.trainer = trainer;
    }

    @Override
    public byte[] onnx() {
        ONNXContext context = new ONNXContext();
        ONNXPlaceholder input = context.floatInput("features", names.length);
        ONNXNode standardized = input.apply(ONNXOperators.SUB, context.array("mean", standardization.mean()))
                .apply(ONNXOperators.DIV, context.array("std", standardization.std()));
        ONNXNode probabilities = ((ONNXExportable) model).writeONNXGraph(standardized);
        int positive = model.getOutputIDInfo().getID(TribuoTrainer.POSITIVE);
        int negative = model.getOutputIDInfo().getID(TribuoTrainer.NEGATIVE);
        ONNXNode p1 = probabilities.apply(
                ONNXOperators.GATHER, context.array("positive_class", new long[] {positive}), Map.of("axis", 1));
        ONNXNode p0 = probabilities.apply(
                ONNXOperators.GATHER, context.array("negative_class", new long[] {negative}), Map.of("axis", 1));
        ONNXNode scaledNegative =
                p0.apply(ONNXOperators.MUL, context.constant("inverse_negative_rate", (float) (1.0 / negativeRate)));
        ONNXNode corrected = p1.apply(ONNXOperators.DIV, p1.apply(ONNXOperators.ADD, scaledNegative));
        corrected.assignTo(context.floatOutput("probability", 1));
        context.setName(modelName);
        OnnxMl.ModelProto proto = ONNXExportable.buildModel(context, "dev.sextant.training", 1, model);
        return proto.toByteArray();
    }

    @Override
    public float[] predict(Matrix x) {
        List<Example<Label>> examples = new ArrayList<>(x.rows());
        for (int r = 0; r < x.rows(); r++) {
            examples.add(new ArrayExample<>(TribuoTrainer.NEGATIVE, names, standardization.apply(x, r)));
        }
        List<Prediction<Label>> predictions = model.predict(examples);
        float[] scores = new float[x.rows()];
        for (int r = 0; r < scores.length; r++) {
            Map<String, Label> byLabel = predictions.get(r).getOutputScores();
            double p1 = byLabel.get(TribuoTrainer.POSITIVE.getLabel()).getScore();
            double p0 = byLabel.get(TribuoTrainer.NEGATIVE.getLabel()).getScore();
            scores[r] = (float) (p1 / (p1 + p0 / negativeRate));
        }
        return scores;
    }

    @Override
    public String describe() {
        return trainer + " on " + names.length + " columns (Tribuo " + org.tribuo.Tribuo.VERSION + ")";
    }
}
