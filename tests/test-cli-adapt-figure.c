/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "philia-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "philia-core.h"
#include "philia-render.h"

/*
 * `philia-cli figure P.philia --color-by run:ID:change` draws an adapted
 * run's changes in the four colours of the Adapt page's canvas, not as a
 * scale. The project is made here: 80 isolated nodes laid out in four
 * clusters along x, each cluster one kind of change (the order shuffled),
 * and a run whose change values say so. In the PNG, the nodes of each
 * cluster (a vertical strip of the figure, in the band where the nodes lie)
 * are in the colour the GUI's palette gives that kind, and in no other.
 *
 * The expected colours are also written out here (Okabe–Ito bluish green,
 * vermillion, sky blue, grey), so that a change of the shared palette is a
 * decision, not an accident.
 */

#define PER_CLUSTER 20
#define N (4 * PER_CLUSTER)

/* Cluster k (left to right) holds nodes of this kind of change. */
static const guint cluster_kind[4] = { 2, 0, 3, 1 };

static void
node_values_free (PhiliaNodeValues *nv)
{
  g_free (nv->name);
  g_free (nv->values);
  g_free (nv);
}

static PhiliaTrainResult *
change_run (void)
{
  PhiliaTrainResult *r = g_new0 (PhiliaTrainResult, 1);
  PhiliaNodeValues *nv = g_new0 (PhiliaNodeValues, 1);

  r->model = g_strdup ("gcn");
  r->n_nodes = N;
  r->n_classes = 2;
  r->predictions = g_new0 (gint32, N);
  r->probabilities = g_new0 (float, N * 2);
  for (guint v = 0; v < N; v++)
    r->probabilities[2 * v] = 1;
  r->weights = g_ptr_array_new_with_free_func ((GDestroyNotify)philia_tensor_free);
  r->train_accuracy = r->val_accuracy = r->test_accuracy = NAN;
  r->train_roc_auc = r->val_roc_auc = r->test_roc_auc = NAN;
  r->train_majority = r->val_majority = r->test_majority = NAN;
  r->epoch_ms_median = NAN;
  nv->name = g_strdup (PHILIA_ADAPT_CHANGE_VALUES);
  nv->values = g_new (double, N);
  for (guint v = 0; v < N; v++)
    {
      guint kind = cluster_kind[v / PER_CLUSTER];

      /* As philia_adapt_change_values() writes them. */
      nv->values[v] = kind == 0 ? 1 : kind == 1 ? -1 : kind == 2 ? 0 : NAN;
    }
  r->node_values = g_ptr_array_new_with_free_func ((GDestroyNotify)node_values_free);
  g_ptr_array_add (r->node_values, nv);
  return r;
}

static void
make_project (const char *dataset,
              const char *project)
{
  g_autoptr(PhiliaGraphBuilder) builder = philia_graph_builder_new (N);
  g_autoptr(PhiliaGraph) graph = NULL;
  g_autoptr(PhiliaDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  gint64 *labels = g_new (gint64, N);
  double *xy = g_new (double, 2 * N);
  guint id;

  for (guint v = 0; v < N; v++)
    {
      labels[v] = v % 2;
      /* A small disc of nodes per cluster, clusters 10 apart along x. */
      xy[2 * v] = 10.0 * (v / PER_CLUSTER) + 0.6 * cos (v * 2.4);
      xy[2 * v + 1] = 0.6 * sin (v * 2.4);
    }
  philia_graph_builder_take_labels (builder, labels);
  graph = philia_graph_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_true (philia_graph_write_npz (graph, dataset, &error));
  g_assert_no_error (error);
  doc = philia_document_new (graph, dataset, NULL);
  philia_document_add_layout (doc, "clusters", "manual", 0, xy);
  id = philia_document_add_applied_run (doc, change_run (), "source.philia-model", "soga");
  g_assert_cmpuint (id, ==, 1);
  g_assert_true (philia_document_save (doc, project, NULL, &error));
  g_assert_no_error (error);
}

static double
distance (guint32       pixel,
          const double *rgb)
{
  return fmax (fmax (fabs (((pixel >> 16) & 0xff) / 255.0 - rgb[0]),
                     fabs (((pixel >> 8) & 0xff) / 255.0 - rgb[1])),
               fabs ((pixel & 0xff) / 255.0 - rgb[2]));
}

static void
test_change_colours (void)
{
  static const double expected[12] = { 0.0, 0.62, 0.45, 0.84, 0.37, 0.0, 0.34, 0.71, 0.91,
                                       0.72, 0.72, 0.72 };
  const double *palette = philia_adapt_change_colors ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("philia-adapt-figure-XXXXXX", &error);
  g_autofree char *dataset = g_build_filename (dir, "clusters.npz", NULL);
  g_autofree char *project = g_build_filename (dir, "clusters.philia", NULL);
  g_autofree char *png = g_build_filename (dir, "change.png", NULL);
  g_autofree guint *counts = NULL;
  g_auto(Run) run = { 0 };
  cairo_surface_t *surface;
  const guint8 *data;
  int width, height, stride;
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (int));
  int band;

  g_assert_no_error (error);
  /* The GUI's palette is the one the figure must use. */
  g_assert_cmpmem (palette, sizeof expected, expected, sizeof expected);
  make_project (dataset, project);

  run_cli (&run, "figure", project, "--kind", "graph", "--color-by", "run:1:change",
           "--width", "480", "--height", "240", "--dpi", "72", "--out", png, NULL);
  g_assert_cmpint (run.status, ==, 0);

  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  data = cairo_image_surface_get_data (surface);

  /* The band of the nodes: the median row of every pixel in a palette
   * colour (the nodes far outnumber the legend's swatches). */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (guint k = 0; k < 4; k++)
        if (distance (((const guint32 *)(data + y * stride))[x], palette + 3 * k) < 0.03)
          g_array_append_val (rows, y);
  g_assert_cmpuint (rows->len, >, 200);
  band = g_array_index (rows, int, rows->len / 2);
  g_array_unref (rows);

  /* Per strip, the palette colours of the pixels within the band. */
  counts = g_new0 (guint, 16);
  for (int y = MAX (band - height / 8, 0); y < MIN (band + height / 8, height); y++)
    for (int x = 0; x < width; x++)
      for (guint k = 0; k < 4; k++)
        if (distance (((const guint32 *)(data + y * stride))[x], palette + 3 * k) < 0.03)
          counts[4 * MIN (4 * x / width, 3) + k]++;
  for (guint s = 0; s < 4; s++)
    for (guint k = 0; k < 4; k++)
      if (k == cluster_kind[s])
        g_assert_cmpuint (counts[4 * s + k], >, 40);
      else
        g_assert_cmpuint (counts[4 * s + k], ==, 0);
  cairo_surface_destroy (surface);

  g_unlink (png);
  g_unlink (project);
  g_unlink (dataset);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  philia_core_init ();
  g_test_add_func ("/cli/adapt-figure/change-colours", test_change_colours);
  return g_test_run ();
}
