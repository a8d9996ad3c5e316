package dev.sextant.registry.model;

import dev.sextant.registry.signature.Signature;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registered models and versions in SQL. JSON documents (signature, metrics, lineage, feature binding,
 * reference distributions) are TEXT columns owned by this class; nothing of the storage leaves it. A version
 * page costs three queries whatever its size: versions, their tags, their aliases.
 */
@Repository
public class ModelRepository {

    private static final String VERSION_COLUMNS = "model_id, version, sha256, size_bytes, signature, description,"
            + " metrics, lineage, features, created_at, created_by";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ModelRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public record ModelRow(long id, String name, int latestVersion, Instant createdAt, Instant updatedAt) {}

    record NewVersion(
            long modelId,
            int version,
            String sha256,
            long sizeBytes,
            Signature signature,
            VersionMetadata metadata,
            Instant createdAt,
            String createdBy) {}

    /**
     * A model with at least one version (a row without one is a registration that has not committed yet);
     * with {@code lock}, its row stays locked until the transaction ends, serializing changes to the model.
     */
    public Optional<ModelRow> findRegistered(String name, boolean lock) {
        return jdbc.sql("SELECT * FROM registered_model WHERE name = :name AND latest_version > 0"
                        + (lock ? " FOR UPDATE" : ""))
                .param("name", name)
                .query(ModelRepository::modelRow)
                .optional();
    }

    /** Creates the model unless it exists; safe against a concurrent creation of the same name. */
    void createModelIfAbsent(String name, Instant now) {
        boolean exists = jdbc.sql("SELECT COUNT(*) FROM registered_model WHERE name = :name")
                        .param("name", name)
                        .query(Long.class)
                        .single()
                > 0;
        if (exists) {
            return;
        }
        try {
            jdbc.sql(
                            """
                            INSERT INTO registered_model (name, latest_version, created_at, updated_at)
                            VALUES (:name, 0, :now, :now)
                            """)
                    .param("name", name)
                    .param("now", utc(now))
                    .update();
        } catch (DuplicateKeyException e) {
            // Created concurrently by another upload: exactly what we wanted.
        }
    }

    /** Takes the next version number; the row lock it takes is held until the transaction ends. */
    ModelRow allocateVersion(String name, Instant now) {
        jdbc.sql("UPDATE registered_model SET latest_version = latest_version + 1, updated_at = :now"
                        + " WHERE name = :name")
                .param("now", utc(now))
                .param("name", name)
                .update();
        return findRegistered(name, false).orElseThrow();
    }

    void insertVersion(NewVersion version) {
        VersionMetadata metadata = version.metadata();
        jdbc.sql(
                        """
                        INSERT INTO model_version (model_id, version, sha256, size_bytes, signature, description,
                            metrics, lineage, features, reference_distributions, created_at, created_by)
                        VALUES (:modelId, :version, :sha256, :size, :signature, :description, :metrics, :lineage,
                            :features, :referenceDistributions, :createdAt, :createdBy)
                        """)
                .param("modelId", version.modelId())
                .param("version", version.version())
                .param("sha256", version.sha256())
                .param("size", version.sizeBytes())
                .param("signature", json.writeValueAsString(version.signature()))
                .param("description", metadata.description())
                .param("metrics", json.writeValueAsString(new TreeMap<>(metadata.metrics())))
                .param("lineage", json.writeValueAsString(metadata.lineage()))
                .param("features", json.writeValueAsString(metadata.features()))
                .param(
                        "referenceDistributions",
                        metadata.referenceDistributions() == null
                                ? null
                                : json.writeValueAsString(metadata.referenceDistributions()))
                .param("createdAt", utc(version.createdAt()))
                .param("createdBy", version.createdBy())
                .update();
        metadata.tags().forEach((key, value) -> jdbc.sql(
                        """
                        INSERT INTO model_version_tag (model_id, version, tag_key, tag_value)
                        VALUES (:modelId, :version, :key, :value)
                        """)
                .param("modelId", version.modelId())
                .param("version", version.version())
                .param("key", key)
                .param("value", value)
                .update());
    }

    /** One version with everything, reference distributions included. */
    public Optional<ModelVersionView> findVersion(ModelRow model, int version) {
        Map<String, Object> params = Map.of("modelId", model.id(), "from", version, "to", version);
        Map<Integer, Map<String, String>> tags = tags(params);
        Map<Integer, List<String>> aliases = aliasesByVersion(params);
        return jdbc.sql("SELECT " + VERSION_COLUMNS + ", reference_distributions FROM model_version"
                        + " WHERE model_id = :modelId AND version = :from")
                .params(params)
                .query((rs, row) -> versionView(model, rs, tags, aliases, true))
                .optional();
    }

    /** A page of versions, newest first, without reference distributions. */
    List<ModelVersionView> listVersions(ModelRow model, TagFilter tag, int limit, int offset) {
        StringBuilder page = new StringBuilder("SELECT v.version FROM model_version v WHERE v.model_id = :modelId");
        Map<String, Object> params = new HashMap<>(Map.of("modelId", model.id(), "limit", limit, "offset", offset));
        appendTagFilter(page, params, tag, "t.model_id = v.model_id AND t.version = v.version");
        page.append(" ORDER BY v.version DESC LIMIT :limit OFFSET :offset");
        List<Integer> versions =
                jdbc.sql(page.toString()).params(params).query(Integer.class).list();
        if (versions.isEmpty()) {
            return List.of();
        }
        Map<String, Object> range =
                Map.of("modelId", model.id(), "from", versions.get(versions.size() - 1), "to", versions.get(0));
        Map<Integer, Map<String, String>> tags = tags(range);
        Map<Integer, List<String>> aliases = aliasesByVersion(range);
        return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM model_version"
                        + " WHERE model_id = :modelId AND version IN (:versions) ORDER BY version DESC")
                .param("modelId", model.id())
                .param("versions", versions)
                .query((rs, row) -> versionView(model, rs, tags, aliases, false))
                .list();
    }

    List<ModelRow> search(String nameContains, TagFilter tag, String alias, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT m.* FROM registered_model m WHERE m.latest_version > 0");
        Map<String, Object> params = new HashMap<>(Map.of("limit", limit, "offset", offset));
        if (nameContains != null) {
            sql.append(" AND m.name LIKE :name ESCAPE '!'");
            String escaped = nameContains.replace("!", "!!").replace("%", "!%").replace("_", "!_");
            params.put("name", "%" + escaped + "%");
        }
        appendTagFilter(sql, params, tag, "t.model_id = m.id");
        if (alias != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM model_alias a WHERE a.model_id = m.id AND a.alias = :alias)");
            params.put("alias", alias);
        }
        sql.append(" ORDER BY m.name LIMIT :limit OFFSET :offset");
        return jdbc.sql(sql.toString())
                .params(params)
                .query(ModelRepository::modelRow)
                .list();
    }

    /** For each model, alias name to version. */
    Map<Long, Map<String, Integer>> aliases(List<Long> modelIds) {
        Map<Long, Map<String, Integer>> aliases = new HashMap<>();
        if (modelIds.isEmpty()) {
            return aliases;
        }
        jdbc.sql("SELECT model_id, alias, version FROM model_alias WHERE model_id IN (:ids)")
                .param("ids", modelIds)
                .query((ResultSet rs) -> {
                    aliases.computeIfAbsent(rs.getLong("model_id"), id -> new TreeMap<>())
                            .put(rs.getString("alias"), rs.getInt("version"));
                });
        return aliases;
    }

    private static void appendTagFilter(StringBuilder sql, Map<String, Object> params, TagFilter tag, String join) {
        if (tag == null) {
            return;
        }
        sql.append(" AND EXISTS (SELECT 1 FROM model_version_tag t WHERE ")
                .append(join)
                .append(" AND t.tag_key = :tagKey");
        params.put("tagKey", tag.key());
        if (tag.value() != null) {
            sql.append(" AND t.tag_value = :tagValue");
            params.put("tagValue", tag.value());
        }
        sql.append(")");
    }

    private Map<Integer, Map<String, String>> tags(Map<String, Object> range) {
        Map<Integer, Map<String, String>> tags = new HashMap<>();
        jdbc.sql("SELECT version, tag_key, tag_value FROM model_version_tag"
                        + " WHERE model_id = :modelId AND version BETWEEN :from AND :to")
                .params(range)
                .query((ResultSet rs) -> {
                    tags.computeIfAbsent(rs.getInt("version"), v -> new TreeMap<>())
                            .put(rs.getString("tag_key"), rs.getString("tag_value"));
                });
        return tags;
    }

    private Map<Integer, List<String>> aliasesByVersion(Map<String, Object> range) {
        Map<Integer, List<String>> aliases = new HashMap<>();
        jdbc.sql("SELECT version, alias FROM model_alias"
                        + " WHERE model_id = :modelId AND version BETWEEN :from AND :to ORDER BY alias")
                .params(range)
                .query((ResultSet rs) -> {
                    aliases.computeIfAbsent(rs.getInt("version"), v -> new ArrayList<>())
                            .add(rs.getString("alias"));
                });
        return aliases;
    }

    private ModelVersionView versionView(
            ModelRow model,
            ResultSet rs,
            Map<Integer, Map<String, String>> tags,
            Map<Integer, List<String>> aliases,
            boolean withReferenceDistributions)
            throws SQLException {
        int version = rs.getInt("version");
        String referenceDistributions = withReferenceDistributions ? rs.getString("reference_distributions") : null;
        return new ModelVersionView(
                model.name(),
                version,
                rs.getString("sha256"),
                rs.getLong("size_bytes"),
                json.readValue(rs.getString("signature"), Signature.class),
                rs.getString("description"),
                tags.getOrDefault(version, Map.of()),
                json.readValue(rs.getString("metrics"), new TypeReference<LinkedHashMap<String, Double>>() {}),
                json.readValue(rs.getString("lineage"), VersionMetadata.Lineage.class),
                json.readValue(rs.getString("features"), new TypeReference<List<VersionMetadata.FeatureBinding>>() {}),
                referenceDistributions == null ? null : json.readTree(referenceDistributions),
                aliases.getOrDefault(version, List.of()),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"));
    }

    private static ModelRow modelRow(ResultSet rs, int row) throws SQLException {
        return new ModelRow(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getInt("latest_version"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
