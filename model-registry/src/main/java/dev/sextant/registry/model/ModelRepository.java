package dev.sextant.registry.model;

import dev.sextant.registry.signature.Signature;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
 * reference distributions) are TEXT columns owned by this class; nothing of the storage leaves it.
 */
@Repository
public class ModelRepository {

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

    public Optional<ModelRow> findModel(String name) {
        return jdbc.sql("SELECT * FROM registered_model WHERE name = :name")
                .param("name", name)
                .query(ModelRepository::modelRow)
                .optional();
    }

    /** Locks the model row for the rest of the transaction: serializes version and alias changes per model. */
    public Optional<ModelRow> lockModel(String name) {
        return jdbc.sql("SELECT * FROM registered_model WHERE name = :name FOR UPDATE")
                .param("name", name)
                .query(ModelRepository::modelRow)
                .optional();
    }

    /** Creates the model unless it exists; safe against a concurrent creation of the same name. */
    void createModelIfAbsent(String name, Instant now) {
        if (findModel(name).isPresent()) {
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
        jdbc.sql(
                        "UPDATE registered_model SET latest_version = latest_version + 1, updated_at = :now WHERE name = :name")
                .param("now", utc(now))
                .param("name", name)
                .update();
        return findModel(name).orElseThrow();
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

    public Optional<ModelVersionView> findVersion(ModelRow model, int version) {
        return jdbc.sql("SELECT * FROM model_version WHERE model_id = :modelId AND version = :version")
                .param("modelId", model.id())
                .param("version", version)
                .query((rs, row) -> versionView(model, rs))
                .optional();
    }

    List<ModelVersionView> listVersions(ModelRow model, TagFilter tag, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT v.* FROM model_version v WHERE v.model_id = :modelId");
        Map<String, Object> params =
                new LinkedHashMap<>(Map.of("modelId", model.id(), "limit", limit, "offset", offset));
        if (tag != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM model_version_tag t WHERE t.model_id = v.model_id"
                    + " AND t.version = v.version AND t.tag_key = :tagKey");
            params.put("tagKey", tag.key());
            if (tag.value() != null) {
                sql.append(" AND t.tag_value = :tagValue");
                params.put("tagValue", tag.value());
            }
            sql.append(")");
        }
        sql.append(" ORDER BY v.version DESC LIMIT :limit OFFSET :offset");
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, row) -> versionView(model, rs))
                .list();
    }

    List<ModelRow> search(String nameContains, TagFilter tag, String alias, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT m.* FROM registered_model m WHERE m.latest_version > 0");
        Map<String, Object> params = new LinkedHashMap<>(Map.of("limit", limit, "offset", offset));
        if (nameContains != null) {
            sql.append(" AND m.name LIKE :name ESCAPE '!'");
            params.put(
                    "name",
                    "%" + nameContains.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (tag != null) {
            sql.append(
                    " AND EXISTS (SELECT 1 FROM model_version_tag t WHERE t.model_id = m.id AND t.tag_key = :tagKey");
            params.put("tagKey", tag.key());
            if (tag.value() != null) {
                sql.append(" AND t.tag_value = :tagValue");
                params.put("tagValue", tag.value());
            }
            sql.append(")");
        }
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

    /** Alias name to version, for one model. */
    public Map<String, Integer> aliases(long modelId) {
        Map<String, Integer> aliases = new TreeMap<>();
        jdbc.sql("SELECT alias, version FROM model_alias WHERE model_id = :modelId")
                .param("modelId", modelId)
                .query((ResultSet rs) -> {
                    aliases.put(rs.getString("alias"), rs.getInt("version"));
                });
        return aliases;
    }

    boolean isArtifactReferenced(String sha256) {
        return jdbc.sql("SELECT COUNT(*) FROM model_version WHERE sha256 = :sha256")
                        .param("sha256", sha256)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private ModelVersionView versionView(ModelRow model, ResultSet rs) throws SQLException {
        int version = rs.getInt("version");
        String referenceDistributions = rs.getString("reference_distributions");
        return new ModelVersionView(
                model.name(),
                version,
                rs.getString("sha256"),
                rs.getLong("size_bytes"),
                json.readValue(rs.getString("signature"), Signature.class),
                rs.getString("description"),
                tags(model.id(), version),
                json.readValue(rs.getString("metrics"), new TypeReference<Map<String, Double>>() {}),
                json.readValue(rs.getString("lineage"), VersionMetadata.Lineage.class),
                json.readValue(rs.getString("features"), new TypeReference<List<VersionMetadata.FeatureBinding>>() {}),
                referenceDistributions == null ? null : json.readTree(referenceDistributions),
                aliasesOf(model.id(), version),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"));
    }

    private Map<String, String> tags(long modelId, int version) {
        Map<String, String> tags = new TreeMap<>();
        jdbc.sql("SELECT tag_key, tag_value FROM model_version_tag WHERE model_id = :modelId AND version = :version")
                .param("modelId", modelId)
                .param("version", version)
                .query((ResultSet rs) -> {
                    tags.put(rs.getString("tag_key"), rs.getString("tag_value"));
                });
        return tags;
    }

    private List<String> aliasesOf(long modelId, int version) {
        return new ArrayList<>(jdbc.sql(
                        "SELECT alias FROM model_alias WHERE model_id = :modelId AND version = :version ORDER BY alias")
                .param("modelId", modelId)
                .param("version", version)
                .query(String.class)
                .list());
    }

    private static ModelRow modelRow(ResultSet rs, int row) throws SQLException {
        return new ModelRow(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getInt("latest_version"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
