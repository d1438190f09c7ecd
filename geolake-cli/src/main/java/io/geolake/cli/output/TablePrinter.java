package io.geolake.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as an aligned text table; numbers right-aligned. */
public final class TablePrinter {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private final boolean[] numeric;

  public TablePrinter(List<String> header) {
    this.header = List.copyOf(header);
    this.numeric = new boolean[header.size()];
    java.util.Arrays.fill(numeric, true);
  }

  public TablePrinter add(List<String> row) {
    for (int i = 0; i < row.size(); i++) {
      String v = row.get(i);
      if (v != null && !v.isEmpty() && !v.equals("NULL") && !v.matches("-?[0-9][0-9,]*(\\.[0-9]+)?(E-?[0-9]+)?%?")) {
        numeric[i] = false;
      }
    }
    rows.add(row);
    return this;
  }

  public int size() {
    return rows.size();
  }

  public void print(PrintWriter out) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
    }
    for (List<String> row : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], cell(row, i).length());
      }
    }
    out.println(line(header, width, false));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(rule);
    for (List<String> row : rows) {
      out.println(line(row, width, true));
    }
    out.flush();
  }

  private String line(List<String> row, int[] width, boolean align) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      String v = cell(row, i);
      s.append(i == 0 ? "" : " | ");
      String pad = " ".repeat(width[i] - v.length());
      s.append(align && numeric[i] ? pad + v : v + pad);
    }
    return s.toString().stripTrailing();
  }

  private static String cell(List<String> row, int i) {
    String v = i < row.size() ? row.get(i) : "";
    return v == null ? "NULL" : v;
  }
}
