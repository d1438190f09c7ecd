package io.geolake.pipeline.ingest;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/** An iterator that computes rows on demand, so a task never holds a whole file in memory. */
abstract class LazyRows implements Iterator<Row> {
  private Row next;
  private boolean done;

  /** The next row, or null at the end. */
  protected abstract Row computeNext();

  @Override
  public final boolean hasNext() {
    if (next == null && !done) {
      next = computeNext();
      done = next == null;
    }
    return next != null;
  }

  @Override
  public final Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row row = next;
    next = null;
    return row;
  }
}
