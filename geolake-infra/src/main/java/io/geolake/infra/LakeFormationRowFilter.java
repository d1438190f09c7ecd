package io.geolake.infra;

import io.geolake.core.schema.Column;
import io.geolake.core.schema.ColumnType;
import io.geolake.core.schema.TableDefinition;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks that a role's row filter, written for geolake's Spark SQL, is also a Lake Formation row
 * filter expression — a PartiQL subset: columns compared with constants (=, <>, <, >, IN, BETWEEN,
 * LIKE, IS [NOT] NULL) joined by AND, OR, NOT, no functions, on string, number or boolean columns
 * — so the same condition holds in Athena and CloudFormation does not fail part way.
 */
final class LakeFormationRowFilter {
  private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "between", "like", "is", "null", "true", "false");
  private static final Set<ColumnType> FILTERABLE = Set.of(ColumnType.STRING, ColumnType.DOUBLE, ColumnType.LONG, ColumnType.BOOLEAN);
  private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private LakeFormationRowFilter() {}

  /** @throws IllegalArgumentException naming the key, what is not supported and the expected form */
  static String check(String key, String condition, TableDefinition table) {
    String expected = "; expected a Lake Formation row filter: columns compared with constants (=, <>, <, >, IN, BETWEEN, LIKE,"
        + " IS [NOT] NULL) joined by AND, OR, NOT; no functions; string, number or boolean columns";
    if (condition.length() >= 2048) {
      throw new IllegalArgumentException("Invalid row filter for '" + key + "': longer than Lake Formation's 2,047 characters" + expected);
    }
    Map<String, ColumnType> columns = table.columns().stream().collect(Collectors.toMap(Column::name, Column::type));
    String code = STRING_LITERAL.matcher(condition).replaceAll("''");
    Matcher word = WORD.matcher(code);
    while (word.find()) {
      String name = word.group();
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      boolean call = code.substring(word.end()).stripLeading().startsWith("(") && !KEYWORDS.contains(lower);
      Function<String, IllegalArgumentException> refused =
          why -> new IllegalArgumentException("Invalid row filter for '" + key + "': " + condition + " (" + why + ")" + expected);
      if (call) {
        throw refused.apply("calls the function " + name);
      }
      if (KEYWORDS.contains(lower) || (word.start() > 0 && Character.isDigit(code.charAt(word.start() - 1)))) {
        continue; // a keyword, or the exponent of a number such as 1e3
      }
      ColumnType type = columns.get(name);
      if (type == null) {
        throw refused.apply(name + " is not a column of " + table.qualifiedName());
      }
      if (!FILTERABLE.contains(type)) {
        throw refused.apply(name + " is a " + type.sql() + " column");
      }
    }
    return condition;
  }
}
