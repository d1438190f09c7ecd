package io.geolake.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** geolake's roles as Lake Formation grants for readers outside geolake (-c readers=..., catalog=glue). */
class TestLakeFormationGrants {
  private static final String ANALYSTS = "arn:aws:iam::111122223333:role/Analysts";
  private static final String ENGINEERS = "arn:aws:iam::111122223333:role/Engineers";
  private static final String ACME = "arn:aws:iam::111122223333:role/AcmeRetail";

  @TempDir static Path folder;
  private static LakeFormationGrants stack;
  private static JsonNode resources;

  @BeforeAll
  static void synthesize() throws IOException {
    Path roles = roles("{name: acme, tables: [consumption.visits], row-filters: {consumption.visits: \"place_id IN ('acme-12', 'acme-14')\"},"
        + " columns: {consumption.visits: [place_id, place_name, arrived_at, departed_at, dwell_s]}}");
    App app = app(Map.of("catalog", "glue", "accessConfig", roles.toString(),
        "readers", "analyst=" + ANALYSTS + ",engineer=" + ENGINEERS + ",acme=" + ACME));
    stack = new LakeFormationGrants(app, "geolake-access", StackProps.builder().build(),
        DeploymentSettings.fromContext(app.getNode()), AccessGrantSettings.fromContext(app.getNode()));
    Aspects.of(app).add(new AwsSolutionsChecks());
    app.synth();
    resources = SynthesizedStack.JSON.valueToTree(Template.fromStack(stack).toJSON()).get("Resources");
  }

  @Test
  void anAnalystReadsTheConsumptionAndOpsTablesWhole() {
    List<String> expected = new ArrayList<>();
    for (TableDefinition t : Tables.ALL) {
      if (t.qualifiedName().startsWith("consumption.") || t.qualifiedName().startsWith("ops.")) {
        expected.add(t.qualifiedName() + " [SELECT, DESCRIBE]");
      }
    }
    assertThat(grants(ANALYSTS, "Table")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(grants(ANALYSTS, "Database")).containsExactlyInAnyOrder("consumption [DESCRIBE]", "ops [DESCRIBE]");
    assertThat(grants(ANALYSTS, "DataCellsFilter")).isEmpty();
  }

  @Test
  void anEngineerReadsEveryTableButThePersonalColumnsThroughADataFilter() {
    List<String> wholeTables = new ArrayList<>();
    List<String> filtered = new ArrayList<>();
    for (TableDefinition t : Tables.ALL) {
      List<String> personal = t.columns().stream().filter(Column::personal).map(Column::name).toList();
      if (personal.isEmpty()) {
        wholeTables.add(t.qualifiedName() + " [SELECT, DESCRIBE]");
        continue;
      }
      wholeTables.add(t.qualifiedName() + " [DESCRIBE]");
      filtered.add(t.qualifiedName() + ".geolake_engineer [SELECT]");
      JsonNode filter = filter(t, "geolake_engineer");
      assertThat(SynthesizedStack.stream(filter.at("/Properties/ColumnWildcard/ExcludedColumnNames")).map(JsonNode::asText).toList())
          .as(t.qualifiedName()).containsExactlyElementsOf(personal);
      assertThat(filter.at("/Properties/RowFilter/AllRowsWildcard").isObject()).isTrue();
      assertThat(filter.at("/Properties/RowFilter/FilterExpression").isMissingNode()).isTrue();
    }
    assertThat(filtered).contains("staging.pings.geolake_engineer [SELECT]", "raw.rejects.geolake_engineer [SELECT]");
    assertThat(grants(ENGINEERS, "Table")).containsExactlyInAnyOrderElementsOf(wholeTables);
    assertThat(grants(ENGINEERS, "DataCellsFilter")).containsExactlyInAnyOrderElementsOf(filtered);
    assertThat(grants(ENGINEERS, "Database")).hasSize(4);
  }

  @Test
  void aRoleWithARowFilterAndColumnGrantsReadsItsRowsAndColumnsOnlyThroughALakeFormationDataFilter() {
    JsonNode filter = filter(Tables.VISITS, "geolake_acme");
    assertThat(filter.at("/Properties/RowFilter/FilterExpression").asText()).isEqualTo("place_id IN ('acme-12', 'acme-14')");
    assertThat(SynthesizedStack.stream(filter.at("/Properties/ColumnWildcard/ExcludedColumnNames")).map(JsonNode::asText).toList())
        .containsExactly("device", "latitude", "longitude");
    assertThat(grants(ACME, "DataCellsFilter")).containsExactly("consumption.visits.geolake_acme [SELECT]");
    assertThat(grants(ACME, "Table")).containsExactly("consumption.visits [DESCRIBE]");
    JsonNode select = of("AWS::LakeFormation::PrincipalPermissions").filter(p -> principal(p).equals(ACME) && p.at("/Properties/Resource/DataCellsFilter").isObject())
        .findFirst().orElseThrow();
    assertThat(SynthesizedStack.stream(select.get("DependsOn")).map(JsonNode::asText).toList()).containsExactly(filter.get("_id").asText());
  }

  @Test
  void nothingIsGrantedWithGrantOptionAndTheAwsSolutionsChecksFindNothing() {
    assertThat(of("AWS::LakeFormation::PrincipalPermissions")).allSatisfy(p -> assertThat(p.at("/Properties/PermissionsWithGrantOption").size()).isZero());
    assertThat(Stream.concat(
            Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream(),
            Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream()))
        .isEmpty();
  }

  @Test
  void readersNeedTheGlueCatalogAKnownRoleAnIamPrincipalAndFiltersLakeFormationUnderstands() throws IOException {
    assertThatThrownBy(() -> grantsOf(Map.of("readers", "analyst=" + ANALYSTS)))
        .hasMessageContaining("'readers': Lake Formation grants need -c catalog=glue");
    assertThatThrownBy(() -> grantsOf(Map.of("catalog", "glue", "readers", "auditor=" + ANALYSTS)))
        .hasMessageContaining("'readers': auditor=" + ANALYSTS + "; expected a role of access.roles [admin, engineer, analyst]");
    assertThatThrownBy(() -> grantsOf(Map.of("catalog", "glue", "readers", "analyst=Analysts")))
        .hasMessageContaining("expected an IAM role or user ARN after the role");
    Path function = roles("{name: mornings, tables: [consumption.*], row-filters: {consumption.stay_points: 'hour(started_at) < 12'}}");
    assertThatThrownBy(() -> grantsOf(Map.of("catalog", "glue", "accessConfig", function.toString(), "readers", "mornings=" + ANALYSTS)))
        .hasMessageContaining("'access.roles (mornings).row-filters.consumption.stay_points'", "calls the function hour", "no functions");
    Path timestamp = roles("{name: recent, tables: [consumption.*], row-filters: {consumption.stay_points: \"started_at > '2024-05-01'\"}}");
    assertThatThrownBy(() -> grantsOf(Map.of("catalog", "glue", "accessConfig", timestamp.toString(), "readers", "recent=" + ANALYSTS)))
        .hasMessageContaining("started_at is a timestamp column");
  }

  private static App app(Map<String, Object> context) {
    return new App(AppProps.builder().context(context).build());
  }

  private static void grantsOf(Map<String, Object> context) {
    App app = app(context);
    new LakeFormationGrants(app, "geolake-access", StackProps.builder().build(),
        DeploymentSettings.fromContext(app.getNode()), AccessGrantSettings.fromContext(app.getNode()));
  }

  /** A geolake config file with the built-in roles and one more. */
  private static Path roles(String extra) throws IOException {
    return Files.writeString(Files.createTempFile(folder, "geolake", ".yaml"), String.join("\n",
        "access:",
        "  roles:",
        "    - {name: admin, tables: ['*'], personal-data: true, any-statement: true}",
        "    - {name: engineer, tables: ['*']}",
        "    - {name: analyst, tables: [consumption.*, ops.*]}",
        "    - " + extra,
        ""));
  }

  private static Stream<JsonNode> of(String type) {
    List<JsonNode> found = new ArrayList<>();
    resources.fields().forEachRemaining(e -> {
      if (e.getValue().get("Type").asText().equals(type)) {
        found.add(((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue().deepCopy()).put("_id", e.getKey()));
      }
    });
    return found.stream();
  }

  private static String principal(JsonNode permissions) {
    return permissions.at("/Properties/Principal/DataLakePrincipalIdentifier").asText();
  }

  /** The principal's grants on one kind of resource: "layer.table [PERMISSIONS]", "layer [...]", "layer.table.filter [...]". */
  private static List<String> grants(String principal, String kind) {
    return of("AWS::LakeFormation::PrincipalPermissions").filter(p -> principal(p).equals(principal))
        .filter(p -> p.at("/Properties/Resource/" + kind).isObject())
        .map(p -> {
          JsonNode r = p.at("/Properties/Resource/" + kind);
          String name = switch (kind) {
            case "Table" -> r.get("DatabaseName").asText() + "." + r.get("Name").asText();
            case "Database" -> r.get("Name").asText();
            default -> r.get("DatabaseName").asText() + "." + r.get("TableName").asText() + "." + r.get("Name").asText();
          };
          return name + " " + SynthesizedStack.stream(p.at("/Properties/Permissions")).map(JsonNode::asText).toList();
        })
        .toList();
  }

  private static JsonNode filter(TableDefinition table, String name) {
    Map<String, JsonNode> byName = new HashMap<>();
    of("AWS::LakeFormation::DataCellsFilter")
        .filter(f -> f.at("/Properties/DatabaseName").asText().equals(table.layer().namespace()) && f.at("/Properties/TableName").asText().equals(table.name()))
        .forEach(f -> byName.put(f.at("/Properties/Name").asText(), f));
    assertThat(byName).as(table.qualifiedName()).containsKey(name);
    return byName.get(name);
  }
}
