package dev.sextant.features.client.definition;

import dev.sextant.features.client.ondemand.OnDemandTransformation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a feature repository: YAML files declaring {@code entities}, {@code feature_views} and
 * {@code on_demand_views}. Everything is
 * validated before anything is used; the first problem fails the load with a message naming the file and the
 * field, e.g. {@code card.yaml: feature_views[0].ttl: '2 hours' is not a duration like 90s, 10m, 2h or 7d}.
 * Names are unique across all files; a view may use entities declared in any file.
 */
public final class FeatureRepositoryLoader {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /**
     * Where a domain jar ships its definitions: one YAML file at this classpath location per jar (the example
     * domain, {@code examples/fraud}, is one), beside the transformations its on-demand views name.
     */
    public static final String CLASSPATH_LOCATION = "META-INF/sextant/feature-repository.yaml";

    private FeatureRepositoryLoader() {}

    /**
     * The repository the classpath's domain jars ship at {@link #CLASSPATH_LOCATION}: the one definition the
     * feature store, the prediction service and the orchestrator use when no directory is configured. Each file is
     * named by the jar or folder it comes from in error messages.
     *
     * @throws InvalidDefinitionException when no jar on the classpath ships one
     */
    public static FeatureRepository bundled() {
        return bundled(Thread.currentThread().getContextClassLoader());
    }

    static FeatureRepository bundled(ClassLoader classLoader) {
        List<DefinitionFile> files = new ArrayList<>();
        try {
            for (URL url : Collections.list(classLoader.getResources(CLASSPATH_LOCATION))) {
                try (InputStream in = url.openStream()) {
                    files.add(
                            new DefinitionFile(url.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classpath's " + CLASSPATH_LOCATION, e);
        }
        if (files.isEmpty()) {
            throw new InvalidDefinitionException("no feature repository is configured and none is on the classpath:"
                    + " configure a directory of definitions, or add a domain jar that ships " + CLASSPATH_LOCATION
                    + " (such as examples/fraud)");
        }
        return load(files);
    }

    /** The directory's repository, or the {@link #bundled} one when {@code directory} is null or blank. */
    public static FeatureRepository loadOrBundled(String directory) {
        return directory == null || directory.isBlank() ? bundled() : load(Path.of(directory));
    }

    /** All {@code *.yaml} and {@code *.yml} files of a directory, in name order. */
    public static FeatureRepository load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidDefinitionException("feature repository " + directory + " is not a directory");
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<DefinitionFile> definitions = new ArrayList<>();
            for (Path file :
                    files.filter(FeatureRepositoryLoader::isYaml).sorted().toList()) {
                definitions.add(new DefinitionFile(file.getFileName().toString(), Files.readString(file)));
            }
            return load(definitions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feature repository " + directory, e);
        }
    }

    public static FeatureRepository load(List<DefinitionFile> files) {
        if (files.isEmpty()) {
            throw new InvalidDefinitionException("the feature repository has no .yaml files");
        }
        Map<String, JsonNode> documents = new HashMap<>();
        Map<String, Entity> entities = new HashMap<>();
        List<Entity> entityOrder = new ArrayList<>();
        for (DefinitionFile file : files) {
            JsonNode document = parse(file);
            documents.put(file.name(), document);
            Node root = new Node(file.name(), "", document);
            root.allowOnly("entities", "feature_views", "on_demand_views");
            for (Node node : root.list("entities")) {
                Entity entity = entity(node);
                if (entities.putIfAbsent(entity.name(), entity) != null) {
                    throw node.child("name").invalid("entity '" + entity.name() + "' is declared twice");
                }
                entityOrder.add(entity);
            }
        }
        List<FeatureView> views = new ArrayList<>();
        Set<String> viewNames = new HashSet<>();
        for (DefinitionFile file : files) {
            for (Node node : new Node(file.name(), "", documents.get(file.name())).list("feature_views")) {
                FeatureView view = view(node, entities);
                if (!viewNames.add(view.name())) {
                    throw node.child("name").invalid("feature view '" + view.name() + "' is declared twice");
                }
                views.add(view);
            }
        }
        FeatureRepository stored = new FeatureRepository(entityOrder, views, List.of());
        List<OnDemandView> onDemandViews = new ArrayList<>();
        for (DefinitionFile file : files) {
            for (Node node : new Node(file.name(), "", documents.get(file.name())).list("on_demand_views")) {
                OnDemandView view = onDemandView(node, stored);
                if (!viewNames.add(view.name())) {
                    throw node.child("name").invalid("view '" + view.name() + "' is declared twice");
                }
                onDemandViews.add(view);
            }
        }
        return new FeatureRepository(entityOrder, views, onDemandViews);
    }

    /**
     * Whether a mapping that stream views must have, and only they may have, is present; an error naming the node
     * when it is missing from a stream view or given to another.
     */
    private static boolean presentForStream(Node node, boolean streamed, String whenMissing, String whenNotStream) {
        boolean present = node.value() != null && !node.value().isNull();
        if (present != streamed) {
            throw node.invalid(present ? whenNotStream : whenMissing);
        }
        if (present) {
            node.requireObject();
        }
        return present;
    }

    private static OnDemandView onDemandView(Node node, FeatureRepository stored) {
        node.allowOnly("name", "description", "request", "inputs", "transformation", "features");
        String name = node.child("name").name();
        List<OnDemandView.RequestField> request = new ArrayList<>();
        Set<String> requestNames = new HashSet<>();
        for (Node field : node.list("request")) {
            field.allowOnly("name", "type");
            OnDemandView.RequestField parsed = new OnDemandView.RequestField(
                    field.child("name").name(), field.child("type").type());
            if (!requestNames.add(parsed.name())) {
                throw field.child("name").invalid("request field '" + parsed.name() + "' is listed twice");
            }
            request.add(parsed);
        }
        List<FeatureRef> inputs = new ArrayList<>();
        for (Node input : node.nonEmptyList("inputs")) {
            FeatureRef ref;
            try {
                ref = FeatureRef.parse(input.text());
            } catch (IllegalArgumentException e) {
                throw input.invalid(e.getMessage());
            }
            if (stored.feature(ref).isEmpty()) {
                throw input.invalid("no stored feature '" + ref + "'; inputs are features of feature views");
            }
            if (inputs.contains(ref)) {
                throw input.invalid("input '" + ref + "' is listed twice");
            }
            inputs.add(ref);
        }
        List<Feature> features = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node feature : node.nonEmptyList("features")) {
            feature.allowOnly("name", "type");
            Feature parsed = new Feature(
                    feature.child("name").name(), feature.child("type").type());
            if (!seen.add(parsed.name())) {
                throw feature.child("name").invalid("feature '" + parsed.name() + "' is listed twice");
            }
            features.add(parsed);
        }
        return new OnDemandView(
                name,
                node.optionalText("description"),
                request,
                inputs,
                features,
                transformation(node.child("transformation")));
    }

    private static OnDemandTransformation transformation(Node node) {
        String className = node.text();
        try {
            Class<?> type = Class.forName(className, true, FeatureRepositoryLoader.class.getClassLoader());
            if (!OnDemandTransformation.class.isAssignableFrom(type)) {
                throw node.invalid(
                        "class " + className + " does not implement " + OnDemandTransformation.class.getName());
            }
            return (OnDemandTransformation) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw node.invalid("no class " + className + " on the classpath");
        } catch (NoSuchMethodException e) {
            throw node.invalid("class " + className + " has no public no-argument constructor");
        } catch (ReflectiveOperationException e) {
            throw node.invalid("cannot create " + className + ": " + e);
        }
    }

    private static Entity entity(Node node) {
        node.allowOnly("name", "description", "join_keys");
        String name = node.child("name").name();
        List<JoinKey> joinKeys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node key : node.nonEmptyList("join_keys")) {
            key.allowOnly("name", "type");
            JoinKey joinKey =
                    new JoinKey(key.child("name").name(), key.child("type").type());
            if (joinKey.type() != ValueType.STRING && joinKey.type() != ValueType.INT64) {
                throw key.child("type").invalid("a join key must be STRING or INT64");
            }
            if (!seen.add(joinKey.name())) {
                throw key.child("name").invalid("join key '" + joinKey.name() + "' is listed twice");
            }
            joinKeys.add(joinKey);
        }
        return new Entity(name, node.optionalText("description"), joinKeys);
    }

    private static FeatureView view(Node node, Map<String, Entity> entities) {
        node.allowOnly("name", "description", "entities", "features", "ttl", "source", "stream");
        String name = node.child("name").name();
        List<Entity> viewEntities = new ArrayList<>();
        for (Node entityName : node.nonEmptyList("entities")) {
            Entity entity = entities.get(entityName.text());
            if (entity == null) {
                throw entityName.invalid("unknown entity '" + entityName.text() + "'; declared: " + entities.keySet());
            }
            viewEntities.add(entity);
        }
        Duration ttl = node.child("ttl").duration();
        FeatureView.Source source = node.child("source").source();
        boolean streamed = source == FeatureView.Source.STREAM;
        List<Feature> features = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node feature : node.nonEmptyList("features")) {
            feature.allowOnly("name", "type", "aggregation");
            Feature parsed = new Feature(
                    feature.child("name").name(),
                    feature.child("type").type(),
                    aggregation(feature.child("aggregation"), streamed));
            if (!seen.add(parsed.name())) {
                throw feature.child("name").invalid("feature '" + parsed.name() + "' is listed twice");
            }
            if (parsed.aggregation() != null && parsed.aggregation().function().type() != parsed.type()) {
                throw feature.child("type")
                        .invalid("a " + parsed.aggregation().function() + " aggregation is "
                                + parsed.aggregation().function().type() + ", not " + parsed.type());
            }
            features.add(parsed);
        }
        StreamSource stream = stream(node.child("stream"), streamed);
        return new FeatureView(name, node.optionalText("description"), viewEntities, features, ttl, source, stream);
    }

    private static StreamSource stream(Node node, boolean streamed) {
        if (!presentForStream(
                node,
                streamed,
                "is required for a view whose source is stream: the topic it is computed from",
                "only a view whose source is stream reads a topic")) {
            return null;
        }
        node.allowOnly("topic", "timestamp_field", "topic_keyed_by");
        String topic = node.child("topic").text();
        String timestampField = node.optionalText("timestamp_field");
        return new StreamSource(
                topic, timestampField == null ? "event_time" : timestampField, node.optionalText("topic_keyed_by"));
    }

    private static Aggregation aggregation(Node node, boolean streamed) {
        if (!presentForStream(
                node,
                streamed,
                "is required: every feature of a stream view is an aggregation of its topic",
                "only features of a view whose source is stream are aggregations")) {
            return null;
        }
        node.allowOnly("function", "field", "window");
        String functionText = node.child("function").text();
        Aggregation.Function function;
        try {
            function = Aggregation.Function.valueOf(functionText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw node.child("function")
                    .invalid("unknown function '" + functionText + "'; use one of count, sum, mean, min, max");
        }
        String field = node.optionalText("field");
        if (function == Aggregation.Function.COUNT && field != null) {
            throw node.child("field").invalid("count counts events and reads no field");
        }
        if (function != Aggregation.Function.COUNT && field == null) {
            throw node.child("field").invalid("is required: the numeric event field " + functionText + " reads");
        }
        Node windowNode = node.child("window");
        Duration window = windowNode.duration();
        if (window.isZero() || window.toSeconds() % 60 != 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw windowNode.invalid("a window is whole minutes, from 1m to 24h");
        }
        return new Aggregation(function, field, window);
    }

    private static JsonNode parse(DefinitionFile file) {
        try {
            JsonNode document = YAML.readTree(file.content());
            if (document == null || !document.isObject()) {
                throw new InvalidDefinitionException(
                        file.name() + ": must be a mapping with entities and/or" + " feature_views");
            }
            return document;
        } catch (JacksonException e) {
            throw new InvalidDefinitionException(file.name() + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    /** A position in a definition file: its node and the path used in error messages. */
    private record Node(String file, String path, JsonNode value) {

        Node child(String field) {
            return new Node(file, path.isEmpty() ? field : path + "." + field, value.get(field));
        }

        List<Node> list(String field) {
            Node child = child(field);
            if (child.value == null || child.value.isNull()) {
                return List.of();
            }
            if (!child.value.isArray()) {
                throw child.invalid("must be a list");
            }
            List<Node> items = new ArrayList<>();
            for (int i = 0; i < child.value.size(); i++) {
                Node item = new Node(file, child.path + "[" + i + "]", child.value.get(i));
                if (!item.value.isObject() && !item.value.isString()) {
                    throw item.invalid("must be a mapping or a name");
                }
                items.add(item);
            }
            return items;
        }

        List<Node> nonEmptyList(String field) {
            List<Node> items = list(field);
            if (items.isEmpty()) {
                throw child(field).invalid("must list at least one entry");
            }
            return items;
        }

        void allowOnly(String... fields) {
            Set<String> allowed = Set.of(fields);
            for (String field : value.propertyNames()) {
                if (!allowed.contains(field)) {
                    throw child(field).invalid("unknown field; expected one of " + List.of(fields));
                }
            }
        }

        String text() {
            if (value == null || !value.isString() || value.asString().isBlank()) {
                throw invalid("is required and must be text");
            }
            return value.asString();
        }

        String optionalText(String field) {
            Node child = child(field);
            return child.value == null || child.value.isNull() ? null : child.text();
        }

        String name() {
            String name = text();
            if (!NAME.matcher(name).matches()) {
                throw invalid("'" + name + "' must be 1-63 lowercase letters, digits or '_', starting with a letter");
            }
            return name;
        }

        ValueType type() {
            String type = text();
            try {
                return ValueType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("unknown type '" + type + "'; use one of " + List.of(ValueType.values()));
            }
        }

        FeatureView.Source source() {
            String source = text();
            try {
                return FeatureView.Source.valueOf(source.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("unknown source '" + source + "'; use batch, stream or push");
            }
        }

        Duration duration() {
            if (value != null && value.isIntegralNumber() && value.asLong() == 0) {
                return Duration.ZERO;
            }
            String text = text();
            Matcher matcher = DURATION.matcher(text);
            if (!matcher.matches()) {
                throw invalid("'" + text + "' is not a duration like 90s, 10m, 2h or 7d (0 for no TTL)");
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }

        void requireObject() {
            if (!value.isObject()) {
                throw invalid("must be a mapping");
            }
        }

        InvalidDefinitionException invalid(String problem) {
            return new InvalidDefinitionException(file + ": " + path + ": " + problem);
        }
    }
}
