package io.geolake.infra;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.Layer;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lakeformation.CfnDataCellsFilter;
import software.amazon.awscdk.services.lakeformation.CfnPrincipalPermissions;
import software.constructs.Construct;

/**
 * geolake's access rules for readers outside geolake — Athena, Redshift Spectrum, EMR — as Lake
 * Formation grants on the tables in the Glue Data Catalog: each reader gets what its geolake role
 * may query (access.roles), personal columns left out unless the role has personal-data, its row
 * filters and column grants as data filters. A stack of its own, deployed once the first daily run has created the
 * tables (Lake Formation grants only on tables that exist), and again when the roles change.
 *
 * <p>Lake Formation cannot pseudonymize: a {@code pseudonymized} role is granted what a role
 * without personal data is. Reads only: writes stay with the daily run's job role.
 */
public final class LakeFormationGrants extends Stack {
  private final String account;

  public LakeFormationGrants(Construct scope, String id, StackProps props, DeploymentSettings deployment, AccessGrantSettings settings) {
    super(scope, id, props);
    // Lake Formation governs the Glue Data Catalog; the JDBC catalog's tables are geolake's alone.
    if (!deployment.glueCatalog()) {
      throw new IllegalArgumentException("Invalid CDK context value for 'readers': Lake Formation grants need -c catalog=glue"
          + " (the tables in the Glue Data Catalog); expected no readers with catalog=" + deployment.catalog());
    }
    this.account = getAccount();
    settings.readers().forEach((roleName, principal) -> grant(settings.role(roleName), principal));
  }

  private void grant(GeolakeConfig.Role role, String principal) {
    Set<Layer> layers = new LinkedHashSet<>();
    for (TableDefinition table : Tables.ALL) {
      if (!role.mayQuery(table.qualifiedName())) {
        continue;
      }
      layers.add(table.layer());
      String id = role.name() + "-" + table.layer().namespace() + "-" + table.name();
      // Personal columns unless the role has personal-data, and the columns its grants leave out.
      List<String> hidden = table.columns().stream()
          .filter(c -> c.personal() && !role.personalData() || !role.mayRead(table.qualifiedName(), c.name()))
          .map(Column::name).toList();
      Optional<String> condition = role.rowFilter(table.qualifiedName())
          .map(c -> LakeFormationRowFilter.check("access.roles (" + role.name() + ").row-filters." + table.qualifiedName(), c, table));
      if (hidden.isEmpty() && condition.isEmpty()) {
        permissions(id + "-Read", principal, tableResource(table), List.of("SELECT", "DESCRIBE"));
        continue;
      }
      CfnDataCellsFilter filter = CfnDataCellsFilter.Builder.create(this, id + "-Filter")
          .tableCatalogId(account)
          .databaseName(table.layer().namespace())
          .tableName(table.name())
          .name("geolake_" + role.name())
          .rowFilter(condition.isPresent()
              ? CfnDataCellsFilter.RowFilterProperty.builder().filterExpression(condition.get()).build()
              : CfnDataCellsFilter.RowFilterProperty.builder().allRowsWildcard(Map.of()).build())
          .columnWildcard(CfnDataCellsFilter.ColumnWildcardProperty.builder().excludedColumnNames(hidden).build())
          .build();
      CfnPrincipalPermissions select = permissions(id + "-Read", principal, CfnPrincipalPermissions.ResourceProperty.builder()
          .dataCellsFilter(CfnPrincipalPermissions.DataCellsFilterResourceProperty.builder()
              .tableCatalogId(account).databaseName(table.layer().namespace()).tableName(table.name()).name(filter.getName()).build())
          .build(), List.of("SELECT"));
      select.addResourceDependency(filter);
      // The schema, as geolake's DESCRIBE shows it to every role that may query the table.
      permissions(id + "-Describe", principal, tableResource(table), List.of("DESCRIBE"));
    }
    for (Layer layer : layers) {
      permissions(role.name() + "-" + layer.namespace(), principal, CfnPrincipalPermissions.ResourceProperty.builder()
          .database(CfnPrincipalPermissions.DatabaseResourceProperty.builder().catalogId(account).name(layer.namespace()).build())
          .build(), List.of("DESCRIBE"));
    }
  }

  private CfnPrincipalPermissions.ResourceProperty tableResource(TableDefinition table) {
    return CfnPrincipalPermissions.ResourceProperty.builder()
        .table(CfnPrincipalPermissions.TableResourceProperty.builder()
            .catalogId(account).databaseName(table.layer().namespace()).name(table.name()).build())
        .build();
  }

  private CfnPrincipalPermissions permissions(String id, String principal, CfnPrincipalPermissions.ResourceProperty resource, List<String> permissions) {
    return CfnPrincipalPermissions.Builder.create(this, id)
        .principal(CfnPrincipalPermissions.DataLakePrincipalProperty.builder().dataLakePrincipalIdentifier(principal).build())
        .resource(resource)
        .permissions(permissions)
        .permissionsWithGrantOption(List.of())
        .build();
  }
}
