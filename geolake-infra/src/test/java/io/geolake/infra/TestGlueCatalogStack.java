package io.geolake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.core.schema.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stack with {@code -c catalog=glue}: the tables in the AWS Glue Data Catalog, reached through its Iceberg endpoint. */
class TestGlueCatalogStack {
  private static SynthesizedStack synthesized;

  @BeforeAll
  static void synthesize() {
    synthesized = new SynthesizedStack(Map.of("catalog", "glue"));
  }

  @Test
  void theJobRoleMayUseGeolakesGlueDatabasesAndTheirTablesButDropNothing() {
    List<JsonNode> glue = synthesized.jobRoleStatements().stream()
        .filter(s -> SynthesizedStack.actions(s).stream().anyMatch(a -> a.startsWith("glue:")))
        .toList();
    assertThat(glue).hasSize(1);
    assertThat(SynthesizedStack.actions(glue.get(0))).containsExactlyInAnyOrder("glue:GetCatalog", "glue:GetDatabase", "glue:GetDatabases",
        "glue:CreateDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable");
    List<String> resources = SynthesizedStack.stream(glue.get(0).get("Resource")).map(SynthesizedStack::arnSuffix).toList();
    List<String> expected = new ArrayList<>(List.of(":catalog"));
    for (Layer layer : Layer.values()) {
      expected.add(":database/" + layer.namespace());
      expected.add(":table/" + layer.namespace() + "/*");
    }
    assertThat(resources).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theDeployedConfigPointsTheCatalogAtGluesIcebergEndpointInTheStacksRegionAndAccount() throws Exception {
    GeolakeConfig config = synthesized.deployedConfig();
    assertThat(config.catalog().type()).isEqualTo(GeolakeConfig.CatalogType.REST);
    assertThat(config.catalog().uri()).isEqualTo("https://glue." + SynthesizedStack.REGION + ".amazonaws.com/iceberg");
    assertThat(config.catalog().warehouse()).isEqualTo(SynthesizedStack.ACCOUNT);
    assertThat(config.catalog().properties()).containsEntry("rest.sigv4-enabled", "true").containsEntry("rest.signing-name", "glue")
        .containsEntry("rest.signing-region", SynthesizedStack.REGION);
    assertThat(Locations.of(config).runStoreUri()).startsWith("jdbc:aws-wrapper:postgresql://");
  }

  @Test
  void theAwsSolutionsChecksFindNothingUnreviewed() {
    assertThat(synthesized.unreviewedFindings()).isEmpty();
  }
}
