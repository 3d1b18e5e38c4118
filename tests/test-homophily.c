/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "philia-core.h"

#include "graph-test-util.h"
#include "homophily-reference.h"
#include "philia-homophily-parts.h"

#define EPS 1e-12

static PhiliaHomophily *
compute (PhiliaGraph      *graph,
         PhiliaConvention  convention)
{
  g_autoptr(GError) error = NULL;
  PhiliaHomophily *h = philia_homophily_compute (graph, convention, 0, NULL, &error);

  g_assert_no_error (error);
  return h;
}

/* Path 0-1-2-3 with labels 0 0 1 1, and node 4 (unlabeled) tied to 0.
 * By hand: m = 3 labeled edges, 2 same → 2/3; local 1, 1/2, 1/2, 1 → 0.75;
 * D = (3, 3), h_k = 2/3 each, LINKX = 2 (2/3 − 1/2) = 1/3; adjusted
 * (2/3 − 1/2) / (1 − 1/2) = 1/3; LI = 5/3 − log2 3. */
static void
test_hand_computed (void)
{
  gint64 rows[] = { 0, 1,  1, 2,  2, 3,  4, 0 };
  gint64 labels[] = { 0, 0, 1, 1, -1 };
  g_autoptr(PhiliaGraph) graph = test_graph_labelled (5, rows, 4, labels);
  g_autoptr(PhiliaHomophily) h = compute (graph, PHILIA_CONVENTION_DEFAULT);

  g_assert_cmpint (h->n_ends, ==, 6);
  g_assert_cmpfloat_with_epsilon (h->edge_homophily, 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (h->node_homophily, 0.75, EPS);
  g_assert_cmpfloat_with_epsilon (h->class_homophily, 1.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (h->adjusted_homophily, 1.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (h->label_informativeness, 5.0 / 3.0 - log2 (3.0), EPS);
  g_assert_cmpfloat_with_epsilon (h->local_homophily[0], 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (h->local_homophily[1], 0.5, EPS);
  g_assert_true (isnan (h->local_homophily[4]));
  g_assert_cmpint (h->compatibility_counts[0 * 2 + 1], ==, 1);
  g_assert_cmpfloat_with_epsilon (h->compatibility[0], 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (h->compatibility[1], 1.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (h->class_h[1], 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (h->class_mean_local[0], 0.75, EPS);
  g_assert_cmpint (h->class_degree[0], ==, 3);
  g_assert_cmpint (h->class_size[1], ==, 2);

  /* The cheap per-node entry point agrees with the full computation. */
  {
    g_autofree double *local = philia_local_homophily (graph);

    for (guint v = 0; v < 5; v++)
      g_assert_true ((isnan (local[v]) && isnan (h->local_homophily[v]))
                     || local[v] == h->local_homophily[v]);
  }
}

/* Rows 0→1, 1→0, 0→0, 1→2 with labels 0 0 1, under each convention. */
static void
test_conventions (void)
{
  gint64 rows[] = { 0, 1,  1, 0,  0, 0,  1, 2 };
  gint64 labels[] = { 0, 0, 1 };
  g_autoptr(PhiliaGraph) graph = test_graph_labelled (3, rows, 4, labels);
  const struct { PhiliaConvention c; double edge; gint64 ends; } cases[] = {
    { PHILIA_CONVENTION_DEFAULT, 2.0 / 4.0, 4 },
    { PHILIA_CONVENTION_KEEP_SELF_LOOPS, 3.0 / 5.0, 5 },
    { PHILIA_CONVENTION_DIRECTED, 2.0 / 3.0, 3 },
    { PHILIA_CONVENTION_DIRECTED | PHILIA_CONVENTION_KEEP_SELF_LOOPS, 3.0 / 4.0, 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PhiliaHomophily) h = compute (graph, cases[i].c);

      g_assert_cmpint (h->n_ends, ==, cases[i].ends);
      g_assert_cmpfloat_with_epsilon (h->edge_homophily, cases[i].edge, EPS);
    }
}

static void
test_null_and_single (void)
{
  g_autoptr(PhiliaGraph) null_graph = test_graph_labelled (0, NULL, 0, NULL);
  g_autoptr(PhiliaHomophily) a = compute (null_graph, PHILIA_CONVENTION_DEFAULT);
  gint64 label[] = { 0 };
  g_autoptr(PhiliaGraph) single = test_graph_labelled (1, NULL, 0, label);
  g_autoptr(PhiliaHomophily) b = compute (single, PHILIA_CONVENTION_DEFAULT);

  g_assert_true (isnan (a->edge_homophily) && isnan (a->node_homophily));
  g_assert_true (isnan (a->class_homophily) && isnan (a->adjusted_homophily));
  g_assert_true (isnan (a->label_informativeness));
  g_assert_true (isnan (a->feature_similarity_edges));
  g_assert_true (isnan (b->edge_homophily) && isnan (b->local_homophily[0]));
  g_assert_cmpint (b->n_labeled, ==, 1);
}

/* One class: edge homophily is 1, but nothing beyond chance is measurable. */
static void
test_one_class (void)
{
  gint64 rows[] = { 0, 1,  1, 2 };
  gint64 labels[] = { 0, 0, 0 };
  g_autoptr(PhiliaGraph) graph = test_graph_labelled (3, rows, 2, labels);
  g_autoptr(PhiliaHomophily) h = compute (graph, PHILIA_CONVENTION_DEFAULT);

  g_assert_cmpfloat (h->edge_homophily, ==, 1.0);
  g_assert_cmpfloat (h->node_homophily, ==, 1.0);
  g_assert_true (isnan (h->class_homophily));
  g_assert_true (isnan (h->adjusted_homophily));
  g_assert_true (isnan (h->label_informativeness));
}

static void
test_no_edges_and_unlabeled (void)
{
  gint64 labels[] = { 0, 1, -1 };
  gint64 rows[] = { 0, 2,  1, 2 };    /* every edge touches the unlabeled node */
  g_autoptr(PhiliaGraph) a = test_graph_labelled (3, NULL, 0, labels);
  g_autoptr(PhiliaGraph) b = test_graph_labelled (3, rows, 2, labels);
  g_autoptr(PhiliaHomophily) ha = compute (a, PHILIA_CONVENTION_DEFAULT);
  g_autoptr(PhiliaHomophily) hb = compute (b, PHILIA_CONVENTION_DEFAULT);

  g_assert_true (isnan (ha->edge_homophily));
  g_assert_true (isnan (hb->edge_homophily));
  g_assert_cmpint (hb->n_ends, ==, 0);
  g_assert_cmpint (hb->n_labeled, ==, 2);
  g_assert_true (isnan (hb->class_h[0]));
  g_assert_true (isnan (hb->compatibility[0]));
}

/* Sparse class ids: the last id the dense C × C tables take still gives the
 * hand-computed values (edge 0-1 same class, 1-2 across: 1/2); one more class
 * is refused with the numbers, before anything of size C² is allocated. */
static void
test_class_ids_bounded (void)
{
  const gint64 top = PHILIA_HOMOPHILY_MAX_CLASSES - 1;
  gint64 rows[] = { 0, 1,  1, 2 };
  gint64 at_limit[] = { top, top, 0 };
  gint64 beyond[] = { top + 1, top + 1, 0 };
  g_autoptr(PhiliaGraph) a = test_graph_labelled (3, rows, 2, at_limit);
  g_autoptr(PhiliaGraph) b = test_graph_labelled (3, rows, 2, beyond);
  g_autoptr(PhiliaHomophily) ha = compute (a, PHILIA_CONVENTION_DEFAULT);
  g_autoptr(PhiliaHomophily) hb = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpuint (ha->n_classes, ==, PHILIA_HOMOPHILY_MAX_CLASSES);
  g_assert_cmpfloat_with_epsilon (ha->edge_homophily, 2.0 / 4.0, EPS);
  g_assert_cmpint (ha->compatibility_counts[(gsize)top * ha->n_classes + top], ==, 2);
  g_assert_cmpint (ha->compatibility_counts[(gsize)top * ha->n_classes + 0], ==, 1);

  hb = philia_homophily_compute (b, PHILIA_CONVENTION_DEFAULT, 0, NULL, &error);
  g_assert_null (hb);
  g_assert_error (error, PHILIA_ERROR, PHILIA_ERROR_UNSUPPORTED);
  expected = g_strdup_printf ("the class ids go up to %u, but the homophily measures compare "
                              "classes pairwise for at most %u classes (2 of the %u class "
                              "ids have nodes", PHILIA_HOMOPHILY_MAX_CLASSES,
                              PHILIA_HOMOPHILY_MAX_CLASSES, PHILIA_HOMOPHILY_MAX_CLASSES + 1);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_true (g_str_has_suffix (error->message, "."));
}

static void
test_feature_similarity (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (3);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;
  float x[] = { 1, 0,   1, 1,   0, 0 };   /* node 2 is a zero vector */

  philia_graph_builder_add_edge (builder, 0, 1);
  philia_graph_builder_add_edge (builder, 1, 2);
  philia_graph_builder_take_features (builder, g_memdup2 (x, sizeof x), 2);
  graph = philia_graph_builder_build (builder, NULL);
  h = compute (graph, PHILIA_CONVENTION_DEFAULT);
  /* cos(0,1) = 1/√2, cos(1,2) = 0 by convention → mean 1/(2√2) */
  g_assert_cmpfloat_with_epsilon (h->feature_similarity_edges, 1.0 / (2.0 * sqrt (2.0)), EPS);
  /* Random distinct pairs over 3 nodes: each pair type is 1/√2, 0, 0 → mean near 0.2357. */
  g_assert_cmpfloat_with_epsilon (h->feature_similarity_random, 1.0 / (3.0 * sqrt (2.0)), 0.01);
}

/* The feature homophily alone (the feature-sets chart's): the same values as
 * the full measure for the same seed, NaN and FALSE without features. */
static void
test_feature_similarity_alone (void)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (3);
  g_autoptr(PhiliaGraphBuilder) bare = philia_graph_builder_new (2);
  g_autoptr(PhiliaGraph) graph = NULL, plain = NULL;
  g_autoptr(PhiliaHomophily) h = NULL;
  float x[] = { 1, 0,   1, 1,   0, 0 };
  double edges = 0, random_pairs = 0;
  gint64 n_pairs = 0;

  philia_graph_builder_add_edge (builder, 0, 1);
  philia_graph_builder_add_edge (builder, 1, 2);
  philia_graph_builder_take_features (builder, g_memdup2 (x, sizeof x), 2);
  graph = philia_graph_builder_build (builder, NULL);
  g_assert_true (philia_feature_similarity (graph, 7, &edges, &random_pairs, &n_pairs));
  g_assert_cmpfloat_with_epsilon (edges, 1.0 / (2.0 * sqrt (2.0)), EPS);
  g_assert_cmpint (n_pairs, ==, 10000);
  h = philia_homophily_compute (graph, PHILIA_CONVENTION_DEFAULT, 7, NULL, NULL);
  g_assert_nonnull (h);
  g_assert_true (edges == h->feature_similarity_edges);
  g_assert_true (random_pairs == h->feature_similarity_random);
  /* Either output may be left out. */
  g_assert_true (philia_feature_similarity (graph, 7, NULL, &edges, NULL));
  g_assert_true (edges == random_pairs);

  philia_graph_builder_add_edge (bare, 0, 1);
  plain = philia_graph_builder_build (bare, NULL);
  g_assert_false (philia_feature_similarity (plain, 0, &edges, &random_pairs, &n_pairs));
  g_assert_true (isnan (edges) && isnan (random_pairs));
  g_assert_cmpint (n_pairs, ==, 0);
}

/* Second method: the definitions evaluated literally on a dense matrix. */
static void
naive (guint         n,
       const guint8 *adj,
       const gint64 *y,
       guint         c,
       double       *edge,
       double       *node,
       double       *linkx,
       double       *adjusted,
       double       *li)
{
  double same = 0, ends = 0, node_sum = 0, node_cnt = 0, nl = 0;
  g_autofree double *dk = g_new0 (double, c);
  g_autofree double *sk = g_new0 (double, c);
  g_autofree double *nk = g_new0 (double, c);
  g_autofree double *joint = g_new0 (double, c * c);
  double exp_ = 0, lx = 0, hy = 0, hj = 0;

  for (guint u = 0; u < n; u++)
    {
      double d = 0, s = 0;

      if (y[u] < 0)
        continue;
      nl++;
      nk[y[u]]++;
      for (guint v = 0; v < n; v++)
        if (adj[u * n + v] && y[v] >= 0)
          {
            d++;
            s += y[u] == y[v];
            joint[y[u] * c + y[v]]++;
          }
      same += s;
      ends += d;
      dk[y[u]] += d;
      sk[y[u]] += s;
      if (d > 0)
        node_sum += s / d, node_cnt++;
    }
  *edge = ends > 0 ? same / ends : NAN;
  *node = node_cnt > 0 ? node_sum / node_cnt : NAN;
  for (guint k = 0; k < c; k++)
    {
      if (dk[k] > 0)
        lx += MAX (0.0, sk[k] / dk[k] - nk[k] / nl);
      exp_ += (dk[k] / ends) * (dk[k] / ends);
      if (dk[k] > 0)
        hy -= dk[k] / ends * log (dk[k] / ends);
      for (guint l = 0; l < c; l++)
        if (joint[k * c + l] > 0)
          hj -= joint[k * c + l] / ends * log (joint[k * c + l] / ends);
    }
  *linkx = c > 1 ? lx / (c - 1) : NAN;
  *adjusted = ends > 0 && exp_ < 1 ? (*edge - exp_) / (1 - exp_) : NAN;
  *li = ends > 0 && hy > 0 ? (2 * hy - hj) / hy : NAN;
}

static void
assert_close (double a,
              double b)
{
  if (isnan (a) || isnan (b))
    g_assert_true (isnan (a) && isnan (b));
  else
    g_assert_cmpfloat_with_epsilon (a, b, 1e-12);
}

static void
test_random_against_naive (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (int round = 0; round < 60; round++)
    {
      guint n = g_rand_int_range (rand, 1, 50);
      guint c = g_rand_int_range (rand, 1, 6);
      gsize n_rows = g_rand_int_range (rand, 0, 3 * n);
      g_autofree gint64 *rows = g_new (gint64, 2 * MAX (n_rows, 1));
      g_autofree gint64 *y = g_new (gint64, n);
      g_autofree guint8 *adj = g_new0 (guint8, n * n);
      g_autoptr(PhiliaGraph) graph = NULL;
      g_autoptr(PhiliaHomophily) h = NULL;
      double e, nd, lx, ad, li;

      for (guint v = 0; v < n; v++)
        y[v] = g_rand_int_range (rand, 0, 8) == 0 ? -1 : g_rand_int_range (rand, 0, c);
      for (gsize i = 0; i < n_rows; i++)
        {
          guint u = g_rand_int_range (rand, 0, n), v = g_rand_int_range (rand, 0, n);

          rows[2 * i] = u;
          rows[2 * i + 1] = v;
          if (u != v)
            adj[u * n + v] = adj[v * n + u] = 1;
        }
      graph = test_graph_labelled (n, rows, n_rows, y);
      h = compute (graph, PHILIA_CONVENTION_DEFAULT);
      c = philia_graph_get_n_classes (graph);
      naive (n, adj, y, c, &e, &nd, &lx, &ad, &li);
      assert_close (h->edge_homophily, e);
      assert_close (h->node_homophily, nd);
      if (c > 0)
        assert_close (h->class_homophily, lx);
      assert_close (h->adjusted_homophily, ad);
      assert_close (h->label_informativeness, li);
    }
}

static void
test_datasets (void)
{
  const char *folder = g_getenv ("PHILIA_SHARED_DATASETS");

  if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("PHILIA_SHARED_DATASETS is not a folder");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (homophily_reference); i++)
    {
      const HomophilyReference *ref = &homophily_reference[i];
      g_autofree char *base = g_strconcat (ref->name, ".npz", NULL);
      g_autofree char *path = g_build_filename (folder, base, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);
      g_autoptr(PhiliaHomophily) h = NULL;
      double local_sum = 0;
      long local_count = 0;

      g_assert_no_error (error);
      h = compute (graph, PHILIA_CONVENTION_DEFAULT);
      g_test_message ("%s: edge %.6f node %.6f class %.6f adjusted %.6f LI %.6f", ref->name,
                      h->edge_homophily, h->node_homophily, h->class_homophily,
                      h->adjusted_homophily, h->label_informativeness);
      g_assert_cmpfloat_with_epsilon (h->edge_homophily, ref->edge, 1e-9);
      g_assert_cmpfloat_with_epsilon (h->node_homophily, ref->node, 1e-9);
      g_assert_cmpfloat_with_epsilon (h->class_homophily, ref->linkx, 1e-9);
      g_assert_cmpfloat_with_epsilon (h->adjusted_homophily, ref->adjusted, 1e-9);
      g_assert_cmpfloat_with_epsilon (h->label_informativeness, ref->li, 1e-9);
      g_assert_cmpfloat_with_epsilon (h->compatibility[0], ref->compat00, 1e-9);
      if (isnan (ref->fs_edges))
        g_assert_true (isnan (h->feature_similarity_edges));
      else
        g_assert_cmpfloat_with_epsilon (h->feature_similarity_edges, ref->fs_edges, 1e-9);
      for (guint v = 0; v < h->n_nodes; v++)
        if (!isnan (h->local_homophily[v]))
          local_sum += h->local_homophily[v], local_count++;
      g_assert_cmpint (local_count, ==, ref->local_count);
      g_assert_cmpfloat_with_epsilon (local_sum, ref->local_sum, 1e-7);
    }
}

/* Triangle 0-1-2 of class 0 with 3 (class 1) hung on 2, and 4 unlabeled on
 * 2 as well. Labelled ends by hand: class 0 has 2 + 2 + 3 = 7, class 1 has
 * 1, of 8: chance 7/8 and 1/8; node 4's edge counts for neither. */
static void
test_local_chance (void)
{
  gint64 rows[] = { 0, 1,  0, 2,  1, 2,  2, 3,  2, 4 };
  gint64 labels[] = { 0, 0, 0, 1, -1 };
  g_autoptr(PhiliaGraph) graph = test_graph_labelled (5, rows, 5, labels);
  g_autoptr(PhiliaGraph) unlabeled = test_graph_labelled (5, rows, 5, NULL);
  g_autoptr(PhiliaGraph) no_edges = test_graph_labelled (3, NULL, 0, (gint64[]) { 0, 1, 1 });
  g_autofree double *chance = NULL;
  g_autofree double *none = NULL;
  g_autofree double *nan_chance = NULL;
  guint c = 99;

  chance = philia_local_homophily_chance (graph, &c);
  g_assert_cmpuint (c, ==, 2);
  g_assert_cmpfloat_with_epsilon (chance[0], 7.0 / 8, EPS);
  g_assert_cmpfloat_with_epsilon (chance[1], 1.0 / 8, EPS);

  none = philia_local_homophily_chance (unlabeled, &c);
  g_assert_null (none);
  g_assert_cmpuint (c, ==, 0);

  nan_chance = philia_local_homophily_chance (no_edges, &c);
  g_assert_cmpuint (c, ==, 2);
  g_assert_true (isnan (nan_chance[0]) && isnan (nan_chance[1]));
}

/* On every benchmark graph: the chance levels are D_k / 2m of the full
 * computation, sum to 1, and Σ_k chance_k² is the baseline the reference
 * adjusted homophily (computed by tests/data/homophily-reference.py)
 * implies: (h_edge − h_adj) / (1 − h_adj). */
static void
test_local_chance_datasets (void)
{
  const char *folder = g_getenv ("PHILIA_SHARED_DATASETS");

  if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("PHILIA_SHARED_DATASETS is not a folder");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (homophily_reference); i++)
    {
      const HomophilyReference *ref = &homophily_reference[i];
      g_autofree char *base = g_strconcat (ref->name, ".npz", NULL);
      g_autofree char *path = g_build_filename (folder, base, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, &error);
      g_autoptr(PhiliaHomophily) h = NULL;
      g_autofree double *chance = NULL;
      double sum = 0, squares = 0;
      guint c;

      g_assert_no_error (error);
      h = compute (graph, PHILIA_CONVENTION_DEFAULT);
      chance = philia_local_homophily_chance (graph, &c);
      g_assert_cmpuint (c, ==, h->n_classes);
      for (guint k = 0; k < c; k++)
        {
          g_assert_cmpfloat_with_epsilon (chance[k], (double) h->class_degree[k] / h->n_ends,
                                          EPS);
          sum += chance[k];
          squares += chance[k] * chance[k];
        }
      g_test_message ("%s: Σ chance² = %.6f", ref->name, squares);
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
      g_assert_cmpfloat_with_epsilon (squares, (ref->edge - ref->adjusted) / (1 - ref->adjusted),
                                      1e-9);
    }
}

/* The registry's measures give the same numbers as the direct computation. */
static void
test_registered_measures (void)
{
  gint64 rows[] = { 0, 1,  1, 2,  2, 3,  4, 0 };
  gint64 labels[] = { 0, 0, 1, 1, -1 };
  g_autoptr(PhiliaGraph) graph = test_graph_labelled (5, rows, 4, labels);
  g_autoptr(PhiliaHomophily) h = compute (graph, PHILIA_CONVENTION_DEFAULT);
  g_autoptr(GPtrArray) list = philia_registry_list (philia_registry_get_default (),
                                                    PHILIA_FAMILY_MEASURE);
  const PhiliaAlgorithm *a;
  g_autofree double *edge = NULL;
  g_autofree double *local = NULL;
  g_autofree double *degree = NULL;
  gsize n;

  g_assert_cmpuint (list->len, >=, 9);
  a = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MEASURE,
                              "edge-homophily");
  g_assert_nonnull (a);
  edge = philia_measure_compute (a, graph, &n, NULL, NULL);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (edge[0], ==, h->edge_homophily);

  a = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MEASURE,
                              "local-homophily");
  local = philia_measure_compute (a, graph, &n, NULL, NULL);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat (local[1], ==, 0.5);
  g_assert_true (isnan (local[4]));

  a = philia_registry_lookup (philia_registry_get_default (), PHILIA_FAMILY_MEASURE, "degree");
  degree = philia_measure_compute (a, graph, &n, NULL, NULL);
  g_assert_cmpfloat (degree[0], ==, 2);
}

/* Bitwise equality of two doubles (NaN equals NaN). */
static void
assert_same_bits (double a,
                  double b)
{
  g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
}

/* The measures from counts taken in pieces (as MPI ranks take them) and
 * summed keep every bit of philia_homophily_compute(): in every convention,
 * with self-loops, duplicate rows, an unlabeled and an isolated node, and on
 * a generated graph with features (the cosines summed in node order). */
static void
test_parts (void)
{
  gint64 rows[] = { 0, 1,  1, 0,  1, 2,  2, 2,  2, 3,  3, 4,  4, 0,  0, 1,  5, 3 };
  gint64 labels[] = { 0, 0, 1, 1, 2, -1, 0 };
  g_autoptr(PhiliaGraph) graph = test_graph_labelled (7, rows, G_N_ELEMENTS (rows) / 2, labels);
  PhiliaCsbmParams params;
  g_autoptr(PhiliaGraph) csbm = NULL;
  PhiliaGraph *graphs[2];
  g_autoptr(GError) error = NULL;

  philia_csbm_params_init_default (&params);
  params.n_nodes = 300;
  params.degree = 6;
  params.n_features = 8;
  params.seed = 3;
  csbm = philia_csbm_generate (&params, NULL, &error);
  g_assert_no_error (error);
  graphs[0] = graph;
  graphs[1] = csbm;

  for (guint g = 0; g < G_N_ELEMENTS (graphs); g++)
    for (PhiliaConvention convention = 0; convention <= 3; convention++)
      {
        g_autoptr(PhiliaHomophily) whole = compute (graphs[g], convention);
        g_autoptr(PhiliaHomophilyCounts) sum = philia_homophily_counts_new (graphs[g], &error);
        g_autoptr(PhiliaHomophily) parts = NULL;
        guint n = philia_graph_get_n_nodes (graphs[g]);
        guint cuts[] = { 0, n / 3, n / 3, n - 1, n };
        guint c = philia_graph_get_n_classes (graphs[g]);

        g_assert_no_error (error);
        for (guint p = 0; p + 1 < G_N_ELEMENTS (cuts); p++)
          {
            g_autoptr(PhiliaHomophilyCounts) piece = philia_homophily_counts_new (graphs[g],
                                                                                  &error);

            g_assert_true (philia_homophily_counts_add_nodes (piece, graphs[g], convention,
                                                              cuts[p], cuts[p + 1], NULL,
                                                              &error));
            g_assert_no_error (error);
            for (guint v = 0; v < n; v++)
              {
                sum->degree[v] += piece->degree[v];
                sum->same[v] += piece->same[v];
              }
            for (guint i = 0; i < c * c; i++)
              sum->compatibility[i] += piece->compatibility[i];
          }
        parts = philia_homophily_from_counts (graphs[g], sum, convention);
        g_assert_cmpint (parts->n_ends, ==, whole->n_ends);
        g_assert_cmpint (parts->n_labeled, ==, whole->n_labeled);
        assert_same_bits (parts->edge_homophily, whole->edge_homophily);
        assert_same_bits (parts->node_homophily, whole->node_homophily);
        assert_same_bits (parts->class_homophily, whole->class_homophily);
        assert_same_bits (parts->adjusted_homophily, whole->adjusted_homophily);
        assert_same_bits (parts->label_informativeness, whole->label_informativeness);
        g_assert_cmpmem (parts->compatibility_counts, sizeof (gint64) * c * c,
                         whole->compatibility_counts, sizeof (gint64) * c * c);
        g_assert_cmpmem (parts->local_homophily, sizeof (double) * n,
                         whole->local_homophily, sizeof (double) * n);
        g_assert_cmpmem (parts->class_mean_local, sizeof (double) * c,
                         whole->class_mean_local, sizeof (double) * c);
        g_assert_true (isnan (parts->feature_similarity_edges));

        /* The feature helpers give what compute() reports. */
        {
          g_autofree double *norms = philia_feature_norms (graphs[g]);
          const gint64 *off = philia_graph_get_row_offsets (graphs[g]);
          const gint32 *nbr = philia_graph_get_neighbors (graphs[g]);
          double total = 0.0, random;
          gint64 count = 0, n_pairs = 0;

          g_assert_true ((norms != NULL) == (g == 1));
          if (norms == NULL)
            continue;
          for (guint v = 0; v < n; v++)
            for (gint64 e = off[v]; e < off[v + 1]; e++)
              if (nbr[e] > (gint32)v)
                {
                  total += philia_feature_cosine (graphs[g], norms, v, nbr[e]);
                  count++;
                }
          assert_same_bits (total / count, whole->feature_similarity_edges);
          random = philia_feature_similarity_random (graphs[g], norms, 0, &n_pairs);
          assert_same_bits (random, whole->feature_similarity_random);
          g_assert_cmpint (n_pairs, ==, whole->n_random_pairs);
        }
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/Philia/Homophily/hand-computed", test_hand_computed);
  g_test_add_func ("/Philia/Homophily/conventions", test_conventions);
  g_test_add_func ("/Philia/Homophily/null-and-single", test_null_and_single);
  g_test_add_func ("/Philia/Homophily/one-class", test_one_class);
  g_test_add_func ("/Philia/Homophily/no-edges-and-unlabeled", test_no_edges_and_unlabeled);
  g_test_add_func ("/Philia/Homophily/class-ids-bounded", test_class_ids_bounded);
  g_test_add_func ("/Philia/Homophily/feature-similarity", test_feature_similarity);
  g_test_add_func ("/Philia/Homophily/feature-similarity-alone", test_feature_similarity_alone);
  g_test_add_func ("/Philia/Homophily/random-against-naive", test_random_against_naive);
  g_test_add_func ("/Philia/Homophily/datasets", test_datasets);
  g_test_add_func ("/Philia/Homophily/local-chance", test_local_chance);
  g_test_add_func ("/Philia/Homophily/local-chance-datasets", test_local_chance_datasets);
  g_test_add_func ("/Philia/Homophily/registered-measures", test_registered_measures);
  g_test_add_func ("/Philia/Homophily/parts", test_parts);
  return g_test_run ();
}
