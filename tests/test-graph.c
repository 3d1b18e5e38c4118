/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "philia-core.h"

/* Builds a graph from a row list; labels may be NULL. */
static PhiliaGraph *
build (guint         n,
       const gint64 *rows,
       gsize         n_rows,
       const gint64 *labels,
       GError      **error)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (n);

  philia_graph_builder_set_source (builder, "test-graph", "memory");
  if (n_rows > 0)
    philia_graph_builder_take_edges (builder, g_memdup2 (rows, n_rows * 2 * sizeof (gint64)),
                                     n_rows);
  if (labels != NULL)
    philia_graph_builder_take_labels (builder, g_memdup2 (labels, n * sizeof (gint64)));
  return philia_graph_builder_build (builder, error);
}

static void
assert_neighbors (PhiliaGraph *graph,
                  guint        v,
                  const char  *expected)
{
  const gint64 *off = philia_graph_get_row_offsets (graph);
  const gint32 *nbr = philia_graph_get_neighbors (graph);
  g_autoptr(GString) s = g_string_new (NULL);

  for (gint64 e = off[v]; e < off[v + 1]; e++)
    g_string_append_printf (s, "%s%d", s->len ? " " : "", nbr[e]);
  g_assert_cmpstr (s->str, ==, expected);
}

static void
test_null_graph (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = build (0, NULL, 0, NULL, &error);
  const PhiliaSanityReport *r;

  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_nodes (graph), ==, 0);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 0);
  g_assert_null (philia_graph_get_features (graph));
  r = philia_graph_get_sanity_report (graph);
  g_assert_cmpint (r->components, ==, 0);
  g_assert_cmpint (r->largest_component, ==, 0);
  g_assert_cmpint (r->isolated_nodes, ==, 0);
  g_assert_cmpint (philia_graph_find_node (graph, "0"), ==, -1);
}

static void
test_single_node (void)
{
  g_autoptr(GError) error = NULL;
  gint64 loop[] = { 0, 0 };
  gint64 labels[] = { 0 };
  g_autoptr(PhiliaGraph) graph = build (1, loop, 1, labels, &error);
  const PhiliaSanityReport *r;

  g_assert_no_error (error);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_degree (graph, 0), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 1);
  r = philia_graph_get_sanity_report (graph);
  g_assert_cmpint (r->input_edges, ==, 1);
  g_assert_cmpint (r->self_loops, ==, 1);
  g_assert_cmpint (r->isolated_nodes, ==, 1);
  g_assert_cmpint (r->components, ==, 1);
  g_assert_cmpint (r->largest_component, ==, 1);
  g_assert_false (r->directed_input);
}

/* Hand-computed: rows 0-1, 1-0 (reciprocal), 0-1 again (duplicate), 2-2 (loop),
 * 3-1, 1-3, 1-3 (reciprocal + duplicate), 4-5; nodes 6 and 7 isolated. */
static void
test_cleaning (void)
{
  g_autoptr(GError) error = NULL;
  gint64 rows[] = { 0, 1,  1, 0,  0, 1,  2, 2,  3, 1,  1, 3,  1, 3,  4, 5 };
  gint64 labels[] = { 0, 1, -1, 1, 2, 2, -1, 0 };
  g_autoptr(PhiliaGraph) graph = build (8, rows, 8, labels, &error);
  const PhiliaSanityReport *r;
  const gint64 *sizes;

  g_assert_no_error (error);
  g_assert_cmpint (philia_graph_get_n_edges (graph), ==, 3);
  assert_neighbors (graph, 0, "1");
  assert_neighbors (graph, 1, "0 3");
  assert_neighbors (graph, 2, "");
  assert_neighbors (graph, 3, "1");
  assert_neighbors (graph, 4, "5");
  assert_neighbors (graph, 5, "4");

  r = philia_graph_get_sanity_report (graph);
  g_assert_cmpint (r->input_edges, ==, 8);
  g_assert_cmpint (r->self_loops, ==, 1);
  g_assert_cmpint (r->duplicate_edges, ==, 2);
  g_assert_cmpint (r->reciprocal_pairs, ==, 2);
  g_assert_true (r->directed_input);
  g_assert_false (r->declared_directed);
  g_assert_cmpint (r->isolated_nodes, ==, 3);          /* 2 (only a loop), 6, 7 */
  g_assert_cmpint (r->components, ==, 5);              /* {0,1,3} {2} {4,5} {6} {7} */
  g_assert_cmpint (r->largest_component, ==, 3);

  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 3);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 6);
  sizes = philia_graph_get_class_sizes (graph);
  g_assert_cmpint (sizes[0], ==, 2);
  g_assert_cmpint (sizes[1], ==, 2);
  g_assert_cmpint (sizes[2], ==, 2);
  g_assert_cmpint (philia_graph_get_labels (graph)[2], ==, -1);
}

static void
test_declared_directed (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (3);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(GError) error = NULL;

  philia_graph_builder_set_declared_directed (builder, TRUE);
  philia_graph_builder_add_edge (builder, 0, 1);
  philia_graph_builder_add_edge (builder, 2, 1);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_true (philia_graph_get_sanity_report (graph)->declared_directed);
  g_assert_true (philia_graph_get_sanity_report (graph)->directed_input);
  g_assert_cmpint (philia_graph_get_sanity_report (graph)->reciprocal_pairs, ==, 0);
  assert_neighbors (graph, 1, "0 2");
}

static void
test_edge_out_of_range (void)
{
  g_autoptr(GError) error = NULL;
  gint64 rows[] = { 0, 1,  1, 7 };
  g_autoptr(PhiliaGraph) graph = build (3, rows, 2, NULL, &error);

  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "edge row 1"));
  g_assert_nonnull (strstr (error->message, "node 7"));
  g_assert_nonnull (strstr (error->message, "test-graph"));
}

static void
test_negative_edge (void)
{
  g_autoptr(GError) error = NULL;
  gint64 rows[] = { -1, 1 };
  g_autoptr(PhiliaGraph) graph = build (3, rows, 1, NULL, &error);

  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
}

static void
test_bad_label (void)
{
  g_autoptr(GError) error = NULL;
  gint64 labels[] = { 0, -2 };
  g_autoptr(PhiliaGraph) graph = build (2, NULL, 0, labels, &error);

  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "node 1 has label -2"));
  g_clear_error (&error);

  /* The class tables are dense: ids stop below 65536. */
  {
    gint64 big[] = { 65535, 65536 };
    g_autoptr(PhiliaGraph) big_graph = build (2, NULL, 0, big, &error);

    g_assert_null (big_graph);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "node 1 has label 65536"));
  }
}

static void
test_all_unlabeled (void)
{
  g_autoptr(GError) error = NULL;
  gint64 labels[] = { -1, -1, -1 };
  g_autoptr(PhiliaGraph) graph = build (3, NULL, 0, labels, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 0);
  g_assert_cmpuint (philia_graph_get_n_labeled (graph), ==, 0);
  g_assert_cmpint (philia_graph_get_sanity_report (graph)->isolated_nodes, ==, 3);
  g_assert_cmpint (philia_graph_get_sanity_report (graph)->components, ==, 3);
}

static void
test_labels_size_mismatch (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (2);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  gint64 *labels = g_new0 (gint64, 2);

  philia_graph_builder_take_labels (builder, labels);
  philia_graph_builder_add_nodes (builder, 1);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&builder, philia_graph_builder_free);

  /* Features and masks for fewer nodes than the graph ends up with. */
  builder = philia_graph_builder_new (2);
  philia_graph_builder_take_features (builder, g_new0 (float, 2), 1);
  philia_graph_builder_add_nodes (builder, 1);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "features for 2 nodes, but the graph has 3"));
  g_clear_error (&error);
  g_clear_pointer (&builder, philia_graph_builder_free);

  builder = philia_graph_builder_new (2);
  philia_graph_builder_take_masks (builder, 1, g_new0 (guint8, 2), g_new0 (guint8, 2),
                                   g_new0 (guint8, 2));
  philia_graph_builder_add_nodes (builder, 1);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_null (graph);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "masks cover 2 nodes, but the graph has 3"));
}

static void
test_features (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (2);
  g_autoptr(PhiliaGraphBuilder) bad = philia_graph_builder_new (2);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  float *x = g_new (float, 6);
  float *y = g_new0 (float, 6);

  for (int i = 0; i < 6; i++)
    x[i] = i * 0.5f;
  philia_graph_builder_take_features (builder, x, 3);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_features (graph), ==, 3);
  g_assert_cmpfloat (philia_graph_get_features (graph)[4], ==, 2.0f);

  /* An infinity inside a full block of the vectorised check. */
  {
    g_autoptr(PhiliaGraphBuilder) wide = philia_graph_builder_new (2);
    float *z = g_new0 (float, 2 * 5000);

    z[5000 + 1234] = INFINITY;
    philia_graph_builder_take_features (wide, z, 5000);
    g_assert_null (philia_graph_builder_build (wide, &error));
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "node 1 has a non-finite feature value (inf)"));
    g_assert_nonnull (strstr (error->message, "column 1234"));
    g_clear_error (&error);
  }

  y[4] = NAN;
  philia_graph_builder_set_source (bad, "nan.npz", "npz");
  philia_graph_builder_take_features (bad, y, 3);
  g_assert_null (philia_graph_builder_build (bad, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "node 1"));
  g_assert_nonnull (strstr (error->message, "column 1"));
}

static void
test_masks (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (4);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  guint8 train[] = { 1, 1, 0, 0,   0, 0, 1, 1 };
  guint8 val[] = { 0, 0, 1, 0,   1, 0, 0, 0 };
  guint8 test[] = { 0, 0, 0, 2,   0, 1, 0, 0 };
  gint64 a, b, c;

  philia_graph_builder_take_masks (builder, 2, g_memdup2 (train, 8), g_memdup2 (val, 8),
                                   g_memdup2 (test, 8));
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (philia_graph_get_n_splits (graph), ==, 2);
  philia_graph_get_split_sizes (graph, 0, &a, &b, &c);
  g_assert_cmpint (a, ==, 2);
  g_assert_cmpint (b, ==, 1);
  g_assert_cmpint (c, ==, 1);   /* a stray 2 counts as selected once */
  philia_graph_get_split_sizes (graph, 1, &a, &b, &c);
  g_assert_cmpint (a, ==, 2);
  g_assert_cmpint (b, ==, 1);
  g_assert_cmpint (c, ==, 1);
  g_assert_cmpuint (philia_graph_get_split_mask (graph, 1, PHILIA_SPLIT_TRAIN)[3], ==, 1);
}

static void
test_names (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (3);
  g_autoptr(PhiliaGraphBuilder) dup = philia_graph_builder_new (2);
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = NULL;
  const char *names[] = { "alice", "bob", "7", NULL };
  const char *twice[] = { "x", "x", NULL };
  const char *classes[] = { "Mr. Hi", "Officer", NULL };

  philia_graph_builder_take_node_names (builder, g_strdupv ((char **)names));
  philia_graph_builder_take_labels (builder, g_memdup2 ((gint64[]) { 1, 0, -1 }, 3 * 8));
  philia_graph_builder_take_class_names (builder, g_strdupv ((char **)classes));
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_true (philia_graph_has_node_names (graph));
  g_assert_cmpstr (philia_graph_get_node_name (graph, 1), ==, "bob");
  g_assert_cmpint (philia_graph_find_node (graph, "bob"), ==, 1);
  g_assert_cmpint (philia_graph_find_node (graph, "7"), ==, 2);   /* a name wins */
  g_assert_cmpint (philia_graph_find_node (graph, "1"), ==, 1);   /* else an id */
  g_assert_cmpint (philia_graph_find_node (graph, "carol"), ==, -1);
  g_assert_cmpstr (philia_graph_get_class_name (graph, 0), ==, "Mr. Hi");
  g_assert_cmpuint (philia_graph_get_n_classes (graph), ==, 2);

  philia_graph_builder_take_node_names (dup, g_strdupv ((char **)twice));
  g_assert_null (philia_graph_builder_build (dup, &error) ? (gpointer)1 : NULL);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“x” is used twice"));

  /* A name with a line break and an invalid byte is quoted as an excerpt:
   * the message stays one line of UTF-8 (found by fuzz-npz-members). */
  {
    g_autoptr(PhiliaGraphBuilder) odd = philia_graph_builder_new (2);
    const char *odd_names[] = { "a\nb\xff", "a\nb\xff", NULL };

    g_clear_error (&error);
    philia_graph_builder_take_node_names (odd, g_strdupv ((char **)odd_names));
    g_assert_null (philia_graph_builder_build (odd, &error) ? (gpointer)1 : NULL);
    g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_null (strchr (error->message, '\n'));
    g_assert_nonnull (strstr (error->message, "is used twice."));
  }
}

static void
test_too_few_class_names (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (2);
  g_autoptr(GError) error = NULL;
  const char *classes[] = { "a", NULL };

  philia_graph_builder_take_labels (builder, g_memdup2 ((gint64[]) { 0, 2 }, 2 * 8));
  philia_graph_builder_take_class_names (builder, g_strdupv ((char **)classes));
  g_assert_null (philia_graph_builder_build (builder, &error));
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_INVALID);
}

/* Second method: a dense adjacency matrix and a union-find, on random rows
 * with loops, duplicates and both orientations; everything must agree. */
static void
test_random_against_dense (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  for (int round = 0; round < 40; round++)
    {
      guint n = g_rand_int_range (rand, 1, 60);
      gsize n_rows = g_rand_int_range (rand, 0, 4 * n);
      g_autofree gint64 *rows = g_new (gint64, 2 * MAX (n_rows, 1));
      g_autofree guint8 *dense = g_new0 (guint8, n * n);
      g_autofree guint *count = g_new0 (guint, n * n);
      g_autofree guint *parent = g_new (guint, n);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = NULL;
      const PhiliaSanityReport *r;
      gint64 m = 0, loops = 0, dups = 0, recip = 0, isolated = 0, comps = 0, largest = 0;

      for (gsize i = 0; i < n_rows; i++)
        {
          rows[2 * i] = g_rand_int_range (rand, 0, n);
          rows[2 * i + 1] = g_rand_int_range (rand, 0, n);
          if (g_rand_int_range (rand, 0, 5) == 0 && i > 0)   /* repeat a row, maybe reversed */
            {
              gsize j = g_rand_int_range (rand, 0, i);
              gboolean flip = g_rand_boolean (rand);

              rows[2 * i] = rows[2 * j + (flip ? 1 : 0)];
              rows[2 * i + 1] = rows[2 * j + (flip ? 0 : 1)];
            }
        }
      graph = build (n, rows, n_rows, NULL, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < n; i++)
        parent[i] = i;
      for (gsize i = 0; i < n_rows; i++)
        {
          guint u = rows[2 * i], v = rows[2 * i + 1];

          if (u == v)
            {
              loops++;
              continue;
            }
          count[u * n + v]++;
          dense[u * n + v] = dense[v * n + u] = 1;
        }
      for (guint u = 0; u < n; u++)
        for (guint v = 0; v < n; v++)
          {
            if (u < v && dense[u * n + v])
              {
                guint a = u, b = v;

                m++;
                if (count[u * n + v] && count[v * n + u])
                  recip++;
                while (parent[a] != a) a = parent[a];
                while (parent[b] != b) b = parent[b];
                parent[a] = b;
              }
            if (u != v && count[u * n + v] > 1)
              dups += count[u * n + v] - 1;
          }
      for (guint u = 0; u < n; u++)
        {
          guint deg = 0, size = 0;
          const gint64 *off = philia_graph_get_row_offsets (graph);
          const gint32 *nbr = philia_graph_get_neighbors (graph);
          gint64 e = off[u];

          for (guint v = 0; v < n; v++)
            {
              deg += dense[u * n + v];
              if (dense[u * n + v])
                {
                  /* CSR rows are sorted, so they list dense's ones in order. */
                  g_assert_cmpint (e, <, off[u + 1]);
                  g_assert_cmpint (nbr[e], ==, v);
                  e++;
                }
            }
          g_assert_cmpint (e, ==, off[u + 1]);
          g_assert_cmpuint (philia_graph_get_degree (graph, u), ==, deg);
          isolated += deg == 0;
          if (parent[u] == u)
            {
              comps++;
              for (guint w = 0; w < n; w++)
                {
                  guint a = w;

                  while (parent[a] != a) a = parent[a];
                  size += a == u;
                }
              largest = MAX (largest, size);
            }
        }

      r = philia_graph_get_sanity_report (graph);
      g_assert_cmpint (philia_graph_get_n_edges (graph), ==, m);
      g_assert_cmpint (r->input_edges, ==, (gint64)n_rows);
      g_assert_cmpint (r->self_loops, ==, loops);
      g_assert_cmpint (r->duplicate_edges, ==, dups);
      g_assert_cmpint (r->reciprocal_pairs, ==, recip);
      g_assert_cmpint (r->isolated_nodes, ==, isolated);
      g_assert_cmpint (r->components, ==, comps);
      g_assert_cmpint (r->largest_component, ==, largest);
    }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *)user_data)++;
}

static gpointer
update_from_thread (gpointer data)
{
  for (int i = 1; i <= 100; i++)
    philia_progress_update (data, i / 100.0, i == 1 ? "reading" : NULL);
  return NULL;
}

/* Updates from a worker are coalesced: many updates, few notifications, all
 * delivered on the creating thread's context, never lost. */
static void
test_progress (void)
{
  g_autoptr(PhiliaProgress) progress = philia_progress_new ();
  g_autofree char *message = NULL;
  GThread *thread;
  guint notified = 0;

  g_signal_connect (progress, "notify::fraction", G_CALLBACK (count_notify), &notified);
  thread = g_thread_new ("progress", update_from_thread, progress);
  g_thread_join (thread);
  g_assert_cmpuint (notified, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);
  philia_progress_update (progress, 1.5, NULL);
  g_assert_cmpfloat (philia_progress_get_fraction (progress), ==, 1.0);
  message = philia_progress_dup_message (progress);
  g_assert_cmpstr (message, ==, "reading");
}

/* find_edge: the CSR index of (u, v) in both directions, -1 otherwise
 * (self-loops and duplicates are cleaned away, an isolated node has none). */
static void
test_find_edge (void)
{
  const gint64 rows[] = { 0, 3,  3, 0,  1, 1,  0, 1,  3, 2,  0, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PhiliaGraph) graph = build (5, rows, 6, NULL, &error);
  const gint32 *nbr;
  guint n;

  g_assert_no_error (error);
  nbr = philia_graph_get_neighbors (graph);
  n = philia_graph_get_n_nodes (graph);
  for (guint u = 0; u < n; u++)
    for (guint v = 0; v < n; v++)
      {
        gint64 e = philia_graph_find_edge (graph, u, v);
        gboolean adjacent = (u == 0 && (v == 1 || v == 3)) || (v == 0 && (u == 1 || u == 3))
                            || (u == 2 && v == 3) || (u == 3 && v == 2);

        if (!adjacent)
          g_assert_cmpint (e, ==, -1);
        else
          {
            g_assert_cmpint (e, >=, philia_graph_get_row_offsets (graph)[u]);
            g_assert_cmpint (e, <, philia_graph_get_row_offsets (graph)[u + 1]);
            g_assert_cmpint (nbr[e], ==, v);
          }
      }
}

int
main (int    argc,
      char **argv)
{
  static const struct { const char *path; GTestFunc func; } tests[] = {
    { "/Philia/Graph/null", test_null_graph },
    { "/Philia/Graph/single-node", test_single_node },
    { "/Philia/Graph/cleaning", test_cleaning },
    { "/Philia/Graph/declared-directed", test_declared_directed },
    { "/Philia/Graph/edge-out-of-range", test_edge_out_of_range },
    { "/Philia/Graph/negative-edge", test_negative_edge },
    { "/Philia/Graph/bad-label", test_bad_label },
    { "/Philia/Graph/all-unlabeled", test_all_unlabeled },
    { "/Philia/Graph/labels-size-mismatch", test_labels_size_mismatch },
    { "/Philia/Graph/features", test_features },
    { "/Philia/Graph/masks", test_masks },
    { "/Philia/Graph/names", test_names },
    { "/Philia/Graph/too-few-class-names", test_too_few_class_names },
    { "/Philia/Graph/random-against-dense", test_random_against_dense },
    { "/Philia/Graph/progress", test_progress },
    { "/Philia/Graph/find-edge", test_find_edge },
  };

  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, tests[i].func);
  return g_test_run ();
}
