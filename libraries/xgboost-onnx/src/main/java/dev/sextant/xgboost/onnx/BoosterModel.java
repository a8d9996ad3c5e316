package dev.sextant.xgboost.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an XGBoost booster computes, read from its JSON model ({@code Booster.toByteArray("json")}, the format
 * XGBoost documents as stable since 1.0): the objective, the base score, and every tree's nodes. Only what a
 * binary classifier of numeric features needs is accepted; anything else is refused by name, so a model is
 * never exported into something that scores differently.
 *
 * @param objective {@code binary:logistic} or {@code reg:logistic}: a margin through the sigmoid
 * @param baseMargin the base score in margin space, as XGBoost computes it ({@code -log(1/p - 1)} in float)
 * @param features the number of input columns the booster was trained on
 * @param trees the trees, in XGBoost's order; their leaf values already hold the learning rate
 * @param version the XGBoost version that wrote the model, e.g. {@code 3.4.0}
 */
public record BoosterModel(String objective, float baseMargin, int features, List<Tree> trees, String version) {

    /** The objectives whose output is {@code sigmoid(margin)}: the only ones the converter exports. */
    public static final Set<String> SUPPORTED_OBJECTIVES = Set.of("binary:logistic", "reg:logistic");

    /** Numbers kept as written: a threshold is parsed straight to float, never through a double (no double rounding). */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final JsonMapper REWRITE = JsonMapper.builder().build();

    /**
     * One regression tree in XGBoost's array layout: node {@code i} splits on {@code splitIndex[i]} and goes left
     * when the value is below {@code threshold[i]} (float comparison), or when it is missing and {@code
     * defaultLeft[i]}; a node whose left child is -1 is a leaf and {@code threshold[i]} is its value.
     */
    public record Tree(int[] left, int[] right, int[] splitIndex, float[] threshold, boolean[] defaultLeft) {

        public boolean isLeaf(int node) {
            return left[node] == -1;
        }

        /**
         * The nodes reachable from the root, parents before children, left subtree first. Pruning leaves deleted
         * nodes in XGBoost's arrays; they are never reached and carry no meaning (a split index of -1).
         */
        public int[] reachable() {
            int[] order = new int[left.length];
            int count = 0;
            java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>();
            pending.push(0);
            while (!pending.isEmpty()) {
                int node = pending.pop();
                order[count++] = node;
                if (!isLeaf(node)) {
                    pending.push(right[node]);
                    pending.push(left[node]);
                }
            }
            return java.util.Arrays.copyOf(order, count);
        }
    }

    /** Reads a JSON model, or says why it cannot be exported. */
    public static BoosterModel parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new UnsupportedBoosterException(
                    "the booster's JSON model is not readable: " + e.getOriginalMessage());
        }
        JsonNode learner = root.path("learner");
        String objective = learner.path("objective").path("name").asString("");
        if (!SUPPORTED_OBJECTIVES.contains(objective)) {
            throw new UnsupportedBoosterException("objective '" + objective + "' is not exported; supported: "
                    + SUPPORTED_OBJECTIVES.stream().sorted().toList());
        }
        JsonNode booster = learner.path("gradient_booster");
        String kind = booster.path("name").asString("");
        if (!kind.equals("gbtree")) {
            throw new UnsupportedBoosterException(
                    "booster '" + kind + "' is not exported; supported: [gbtree] (dart and gblinear are not)");
        }
        JsonNode parameters = learner.path("learner_model_param");
        int targets = Integer.parseInt(parameters.path("num_target").asString("1"));
        int classes = Integer.parseInt(parameters.path("num_class").asString("0"));
        if (targets != 1 || classes > 1) {
            throw new UnsupportedBoosterException("the booster has " + targets + " targets and " + classes
                    + " classes; one binary target is exported");
        }
        float baseScore = baseScore(parameters.path("base_score").asString(""));
        int features = Integer.parseInt(parameters.path("num_feature").asString("0"));
        List<Tree> trees = new ArrayList<>();
        for (JsonNode tree : booster.path("model").path("trees")) {
            trees.add(tree(tree, trees.size(), features));
        }
        List<String> version = new ArrayList<>();
        root.path("version").forEach(part -> version.add(part.asString()));
        return new BoosterModel(objective, margin(baseScore), features, trees, String.join(".", version));
    }

    /**
     * The same model with only its first {@code iterations} boosting rounds: what early stopping keeps. The trees
     * of the later rounds are dropped from the JSON document, which XGBoost then loads as a model of its own.
     */
    public static byte[] firstIterations(byte[] json, int iterations) {
        // Read with doubles, not decimals: a double is written back with a point or an exponent ("0.0"), where
        // the decimal 0E0 would be written "0", an integer that XGBoost refuses where it expects a number. The
        // digits XGBoost wrote are the shortest that give its float back, and a double writes them back the same.
        ObjectNode root = (ObjectNode) REWRITE.readTree(new String(json, StandardCharsets.UTF_8));
        ObjectNode model =
                (ObjectNode) root.path("learner").path("gradient_booster").path("model");
        ArrayNode pointers = (ArrayNode) model.path("iteration_indptr");
        if (iterations >= pointers.size() - 1) {
            return json;
        }
        int trees = pointers.get(iterations).asInt();
        ArrayNode keptPointers = REWRITE.createArrayNode();
        for (int i = 0; i <= iterations; i++) {
            keptPointers.add(pointers.get(i).asInt());
        }
        model.set("iteration_indptr", keptPointers);
        model.set("trees", first((ArrayNode) model.path("trees"), trees));
        model.set("tree_info", first((ArrayNode) model.path("tree_info"), trees));
        ((ObjectNode) model.path("gbtree_model_param")).put("num_trees", Integer.toString(trees));
        return REWRITE.writeValueAsBytes(root);
    }

    private static ArrayNode first(ArrayNode array, int count) {
        ArrayNode kept = REWRITE.createArrayNode();
        for (int i = 0; i < count; i++) {
            kept.add(array.get(i));
        }
        return kept;
    }

    /** XGBoost 2 writes {@code "5E-1"}, XGBoost 3 a vector {@code "[5E-1]"}. */
    private static float baseScore(String text) {
        String value = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (value.contains(",")) {
            throw new UnsupportedBoosterException("the booster has one base score per target (" + text + ")");
        }
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new UnsupportedBoosterException("the booster's base score '" + text + "' is not a number");
        }
    }

    /** {@code ProbToMargin} of XGBoost's logistic objectives, in float as XGBoost computes it. */
    private static float margin(float baseScore) {
        if (!(baseScore > 0f && baseScore < 1f)) {
            throw new UnsupportedBoosterException("base score " + baseScore + " is not a probability in (0, 1)");
        }
        return (float) -Math.log(1.0f / baseScore - 1.0f);
    }

    private static Tree tree(JsonNode tree, int index, int features) {
        int[] left = ints(tree.path("left_children"));
        int[] right = ints(tree.path("right_children"));
        int[] splitIndex = ints(tree.path("split_indices"));
        int[] splitType = ints(tree.path("split_type"));
        int[] defaultLeft = ints(tree.path("default_left"));
        JsonNode conditions = tree.path("split_conditions");
        int size = left.length;
        if (size == 0
                || right.length != size
                || splitIndex.length != size
                || defaultLeft.length != size
                || conditions.size() != size) {
            throw new UnsupportedBoosterException("tree " + index + " is malformed: its node arrays differ in length");
        }
        float[] threshold = new float[size];
        boolean[] missingLeft = new boolean[size];
        for (int n = 0; n < size; n++) {
            threshold[n] = Float.parseFloat(conditions.get(n).asString());
            missingLeft[n] = defaultLeft[n] != 0;
        }
        // Checked along the paths from the root, so a malformed tree cannot send the walk in a loop.
        java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>();
        pending.push(0);
        while (!pending.isEmpty()) {
            int n = pending.pop();
            if (left[n] == -1) {
                continue;
            }
            if (splitType.length == size && splitType[n] != 0) {
                throw new UnsupportedBoosterException(
                        "tree " + index + " node " + n + " is a categorical split; only numeric splits are exported");
            }
            if (left[n] <= n || right[n] <= n || left[n] >= size || right[n] >= size) {
                throw new UnsupportedBoosterException(
                        "tree " + index + " node " + n + " has children outside the tree");
            }
            if (splitIndex[n] < 0 || splitIndex[n] >= features) {
                throw new UnsupportedBoosterException(
                        "tree " + index + " node " + n + " splits on feature " + splitIndex[n] + " of " + features);
            }
            pending.push(right[n]);
            pending.push(left[n]);
        }
        return new Tree(left, right, splitIndex, threshold, missingLeft);
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            // A deleted node's split index is the unsigned marker 2^32 - 1; it is a leaf and never read.
            values[i] = (int) array.get(i).asLong();
        }
        return values;
    }
}
