/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cli-test-util.h"

#include "philia-core.h"

/* philia-cli proximity and linkpred, driven as a user would: a subprocess,
 * its stdout, stderr and exit status, on the bundled Cora. */

/* A temporary pairs file; the folder is removed by the caller's cleanup. */
static char *
write_pairs (const char *dir,
             const char *name,
             const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_dir (char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

typedef char TmpDir;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TmpDir, remove_dir)

static void
test_proximity_csv (void)
{
  g_autofree char *cora = cora_path ();
  g_autoptr(TmpDir) dir = g_dir_make_tmp ("philia-prox-XXXXXX", NULL);
  g_autofree char *pairs = write_pairs (dir, "p.csv",
                                             "# a comment\nu,v\n0,633\n0,1862\n# another\n5,5\r\n\n2,100\n");
  g_autofree char *out_path = g_build_filename (dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (cora);
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, NULL);
  g_auto(Run) all = { 0 };
  g_auto(Run) some = { 0 };
  g_auto(Run) to_file = { 0 };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) row = NULL;
  g_autofree char *written = NULL;
  const gint64 ids[] = { 0, 633, 0, 1862, 5, 5, 2, 100 };
  double want[4 * PHILIA_PROXIMITY_N_HEURISTICS];

  g_assert_nonnull (graph);
  g_assert_true (philia_proximity_score_pairs (graph, NULL, ids, 4, PHILIA_PROXIMITY_ALL, want,
                                               NULL, NULL));

  run_cli (&all, "proximity", cora, "--pairs", pairs, NULL);
  if (all.status != 0)
    g_test_message ("stderr: %s", all.err);
  g_assert_cmpint (all.status, ==, 0);
  lines = g_strsplit (all.out, "\n", -1);
  /* Cora is far below the auto method's 10^7 edges: exact PPR, said first. */
  g_assert_cmpstr (lines[0], ==, "# ppr: exact, alpha 0.15, |error| <= 1e-10");
  g_assert_cmpstr (lines[1], ==, "u,v,cn,jaccard,aa,ra,pa,katz,ppr,sp,fp");
  g_assert_cmpuint (g_strv_length (lines), ==, 7);   /* comment, header, 4 rows, "" */
  for (guint i = 0; i < 4; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i + 2], ",", -1);

      g_assert_cmpuint (g_strv_length (cols), ==, 11);
      g_assert_cmpint (g_ascii_strtoll (cols[0], NULL, 10), ==, ids[2 * i]);
      g_assert_cmpint (g_ascii_strtoll (cols[1], NULL, 10), ==, ids[2 * i + 1]);
      for (guint h = 0; h < PHILIA_PROXIMITY_N_HEURISTICS; h++)
        g_assert_cmpfloat (g_ascii_strtod (cols[2 + h], NULL), ==,
                           want[i * PHILIA_PROXIMITY_N_HEURISTICS + h]);
    }

  run_cli (&some, "proximity", cora, "--pairs", pairs, "--heuristics", "sp,cn", "--katz-len",
           "exact", NULL);
  g_assert_cmpint (some.status, ==, 0);
  g_assert_true (g_str_has_prefix (some.out, "u,v,cn,sp\n0,633,"));
  row = g_strsplit (strchr (some.out, '\n') + 1, ",", -1);
  g_assert_cmpuint (g_strv_length (row), >=, 4);

  run_cli (&to_file, "proximity", cora, "--pairs", pairs, "--heuristics", "katz",
           "--katz-beta", "0.01", "--katz-len", "2", "--out", out_path, "--json", NULL);
  g_assert_cmpint (to_file.status, ==, 0);
  g_assert_nonnull (strstr (to_file.out, "\"pairs\":4"));
  g_assert_true (g_file_get_contents (out_path, &written, NULL, NULL));
  g_assert_true (g_str_has_prefix (written, "u,v,katz\n"));
}

static void
test_proximity_json (void)
{
  g_autofree char *cora = cora_path ();
  g_autoptr(TmpDir) dir = g_dir_make_tmp ("philia-prox-XXXXXX", NULL);
  g_autofree char *pairs = write_pairs (dir, "p.csv", "u,v\n0,633\n");
  g_auto(Run) run = { 0 };

  run_cli (&run, "proximity", cora, "--pairs", pairs, "--heuristics", "cn,pa", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "{\"pairs\":1,\"rows\":[{\"u\":\"0\",\"v\":\"633\","
                                             "\"cn\":"));
  g_assert_nonnull (strstr (run.out, "\"pa\":"));
}

/* --ppr-method bippr: the scores of the core with the same parameters, the
 * method and its bound in the CSV's first line and in --json; the seed
 * changes the scores, and the exact method's are within the bound. */
static void
test_proximity_bippr (void)
{
  g_autofree char *cora = cora_path ();
  g_autoptr(TmpDir) dir = g_dir_make_tmp ("philia-prox-XXXXXX", NULL);
  g_autofree char *pairs = write_pairs (dir, "p.csv", "u,v\n0,633\n0,1862\n5,5\n2,100\n");
  g_autoptr(GFile) file = g_file_new_for_path (cora);
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, NULL);
  const gint64 ids[] = { 0, 633, 0, 1862, 5, 5, 2, 100 };
  g_auto(Run) csv = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) linkpred = { 0 };
  g_auto(GStrv) lines = NULL;
  PhiliaProximityParams p;
  double want[4];

  g_assert_nonnull (graph);
  philia_proximity_params_init_default (&p);
  p.ppr_method = PHILIA_PROXIMITY_PPR_BIPPR;
  p.ppr_epsilon = 0.5;
  p.ppr_seed = 7;
  g_assert_true (philia_proximity_score_pairs (graph, &p, ids, 4,
                                               PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_PPR),
                                               want, NULL, NULL));
  run_cli (&csv, "proximity", cora, "--pairs", pairs, "--heuristics", "ppr", "--ppr-method",
           "bippr", "--ppr-epsilon", "0.5", "--ppr-seed", "7", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  lines = g_strsplit (csv.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "# ppr: bippr, alpha 0.15, |error| <= 0.5 * max(score, "
                                 "0.000369276) with probability >= 1 - 0.01 per pair, seed 7");
  g_assert_cmpstr (lines[1], ==, "u,v,ppr");
  for (guint i = 0; i < 4; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i + 2], ",", -1);

      g_assert_cmpfloat (g_ascii_strtod (cols[2], NULL), ==, want[i]);
    }

  run_cli (&json, "proximity", cora, "--pairs", pairs, "--heuristics", "cn,ppr", "--json",
           "--ppr-method", "bippr", "--ppr-delta", "0.001", "--ppr-failure", "0.05", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_nonnull (strstr (json.out, "\"ppr\":{\"method\":\"bippr\",\"alpha\":0.15,"
                                      "\"epsilon\":0.25,\"delta\":0.001,"
                                      "\"failure_probability\":0.05,\"seed\":0,"));

  run_cli (&linkpred, "linkpred", cora, "--heuristic", "ppr", "--json", "--ppr-method", "exact",
           NULL);
  g_assert_cmpint (linkpred.status, ==, 0);
  g_assert_nonnull (strstr (linkpred.out, "\"ppr\":{\"method\":\"exact\""));
}

static void
test_proximity_errors (void)
{
  g_autofree char *cora = cora_path ();
  g_autoptr(TmpDir) dir = g_dir_make_tmp ("philia-prox-XXXXXX", NULL);
  g_autofree char *good = write_pairs (dir, "good.csv", "u,v\n0,1\n");
  g_autofree char *unknown = write_pairs (dir, "unknown.csv", "u,v\n0,1\n3,nobody\n");
  g_autofree char *range = write_pairs (dir, "range.csv", "u,v\n0,1\n2,1\n99999,2\n");
  g_autofree char *header = write_pairs (dir, "header.csv", "0,1\n");
  g_autofree char *fields = write_pairs (dir, "fields.csv", "u,v\n0,1,2\n");
  struct { const char *args[6]; int status; const char *needle; } cases[] = {
    { { "--pairs", unknown }, 1, "line 3: unknown node “nobody”" },
    { { "--pairs", range }, 1, "line 4: unknown node “99999”" },
    { { "--pairs", header }, 1, "header u,v" },
    { { "--pairs", fields }, 1, "line 2: expected two fields" },
    { { "--pairs", "no-such.csv" }, 1, "no-such.csv" },
    { { NULL }, 2, "--pairs P.csv is required" },
    { { "--pairs", good, "--heuristics", "cn,bogus" }, 2, "“bogus”" },
    { { "--pairs", good, "--katz-len", "three" }, 2, "--katz-len" },
    { { "--pairs", good, "--ppr-alpha", "0" }, 2, "--ppr-alpha" },
    { { "--pairs", good, "--ppr-method", "fast" }, 2, "--ppr-method" },
    { { "--pairs", good, "--ppr-epsilon", "0" }, 2, "--ppr-epsilon" },
    { { "--pairs", good, "--ppr-delta", "-0.5" }, 2, "--ppr-delta" },
    { { "--pairs", good, "--ppr-failure", "1" }, 2, "--ppr-failure" },
    { { "--pairs", good, "--ppr-seed", "-5" }, 2, "--ppr-seed" },
    { { "--pairs", good, "--katz-beta", "-1" }, 2, "--katz-beta" },
    { { "--pairs", good, "--katz-len", "exact", "--katz-beta", "0.5" }, 2, "1/λ_max" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (&run, "proximity", cora, cases[i].args[0], cases[i].args[1], cases[i].args[2],
               cases[i].args[3], cases[i].args[4], cases[i].args[5], NULL);
      assert_one_line_error (&run, cases[i].status, cases[i].needle);
    }
}

static void
test_linkpred (void)
{
  g_autofree char *cora = cora_path ();
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) text = { 0 };
  const char *keys[] = {
    "\"heuristic\":\"ra\"", "\"hits@10\":", "\"hits@20\":", "\"hits@50\":", "\"hits@100\":",
    "\"mrr\":", "\"auc\":", "\"train_edges\":4486", "\"valid_edges\":264", "\"test_edges\":528",
    "\"seed\":3",
  };

  run_cli (&a, "linkpred", cora, "--heuristic", "ra", "--seed", "3", "--json", NULL);
  if (a.status != 0)
    g_test_message ("stderr: %s", a.err);
  g_assert_cmpint (a.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strstr (a.out, keys[i]) == NULL)
      g_error ("“%s” not in %s", keys[i], a.out);
  /* Same seed, same numbers (everything before the timing). */
  run_cli (&b, "linkpred", cora, "--heuristic", "ra", "--seed", "3", "--json", NULL);
  g_assert_cmpint (strstr (a.out, "\"seconds\"") - a.out, ==,
                   strstr (b.out, "\"seconds\"") - b.out);
  g_assert_true (strncmp (a.out, b.out, strstr (a.out, "\"seconds\"") - a.out) == 0);

  run_cli (&text, "linkpred", cora, "--heuristic", "katz", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "hits@100"));
  g_assert_nonnull (strstr (text.out, "auc"));
}

static void
test_linkpred_errors (void)
{
  g_autofree char *cora = cora_path ();
  g_auto(Run) missing = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) katz = { 0 };
  g_auto(Run) file = { 0 };

  run_cli (&missing, "linkpred", cora, NULL);
  assert_one_line_error (&missing, 2, "--heuristic H is required");
  run_cli (&unknown, "linkpred", cora, "--heuristic", "gnn", NULL);
  assert_one_line_error (&unknown, 2, "unknown heuristic");
  run_cli (&katz, "linkpred", cora, "--heuristic", "katz", "--katz-len", "exact", "--katz-beta",
           "1", NULL);
  assert_one_line_error (&katz, 2, "1/λ_max");
  run_cli (&file, "linkpred", "no-such.npz", "--heuristic", "cn", NULL);
  assert_one_line_error (&file, 1, "no-such.npz");
}

static void
test_help (void)
{
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };

  run_cli (&a, "proximity", "--help", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_nonnull (strstr (a.out, "--pairs"));
  g_assert_nonnull (strstr (a.out, "--katz-len"));
  run_cli (&b, "linkpred", "--help", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_nonnull (strstr (b.out, "--heuristic"));
  run_cli (&c, "--help", NULL);
  g_assert_nonnull (strstr (c.out, "proximity"));
  g_assert_nonnull (strstr (c.out, "linkpred"));
}

/* The "values" array of a figure's JSON. */
static GArray *
json_values (const char *json)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));
  const char *at = strstr (json, "\"values\":[");

  g_assert_nonnull (at);
  at += strlen ("\"values\":[");
  while (*at != ']')
    {
      char *end;
      double v = g_str_has_prefix (at, "null") ? NAN : g_ascii_strtod (at, &end);

      if (g_str_has_prefix (at, "null"))
        end = (char *)at + 4;
      g_assert_true (end != at);
      g_array_append_val (values, v);
      at = *end == ',' ? end + 1 : end;
    }
  return values;
}

/* A rasterised figure: the right size, and not blank (inked pixels, not the
 * background, cover more than 2% of it). */
static void
assert_raster (const char * const *argv,
               const char         *png,
               int                 width,
               int                 height)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  int status = 0, stride, dark = 0;
  const guint8 *data;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, height);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *px = data + y * stride + 4 * x;   /* B G R A, premultiplied */

        dark += px[3] > 0 && MIN (px[0], MIN (px[1], px[2])) < 200;
      }
  g_assert_cmpint (dark, >, width * height / 50);
  cairo_surface_destroy (surface);
}

/* figure --kind hits and overlap: the values drawn are the report's (same
 * split seed, computed here in-process), and the PNG, SVG and PDF files are
 * real images of the asked size. */
static void
test_linkpred_figures (void)
{
  g_autofree char *cora = cora_path ();
  g_autoptr(TmpDir) dir = g_dir_make_tmp ("philia-prox-XXXXXX", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (cora);
  g_autoptr(PhiliaGraph) graph = philia_graph_load (file, NULL, NULL, NULL, NULL);
  g_autoptr(PhiliaLinkpredReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *overlap = NULL;
  g_autofree char *rsvg = g_find_program_in_path ("rsvg-convert");
  g_autofree char *ppm = g_find_program_in_path ("pdftoppm");
  guint mask = PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_CN)
               | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_KATZ)
               | PHILIA_PROXIMITY_MASK (PHILIA_PROXIMITY_FP);

  report = philia_linkpred_report_new (graph, NULL, mask, 3, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  overlap = philia_linkpred_report_overlap (report, 30);

  for (guint kind = 0; kind < 2; kind++)
    for (guint f = 0; f < 3; f++)
      {
        const char *ext[] = { "png", "svg", "pdf" };
        g_autofree char *name = g_strdup_printf ("%s.%s", kind ? "overlap" : "hits", ext[f]);
        g_autofree char *out = g_build_filename (dir, name, NULL);
        g_autofree char *raster = g_build_filename (dir, "raster.png", NULL);
        g_autofree char *base = g_build_filename (dir, "raster", NULL);
        g_autoptr(GArray) values = NULL;
        g_auto(Run) run = { 0 };

        run_cli (&run, "figure", cora, "--kind", kind ? "overlap" : "hits", "--k", "30",
                 "--seed", "3", "--heuristics", "cn,katz,fp", "--width", "400", "--height",
                 "300", "--dpi", "72", "--out", out, "--json", NULL);
        if (run.status != 0)
          g_test_message ("stderr: %s", run.err);
        g_assert_cmpint (run.status, ==, 0);
        g_assert_nonnull (strstr (run.out, "\"heuristics\":[\"cn\",\"katz\",\"fp\"]"));
        g_assert_nonnull (strstr (run.out, "\"test_edges\":528"));
        values = json_values (run.out);
        g_assert_cmpuint (values->len, ==, kind ? 9 : 3);
        for (guint i = 0; i < values->len; i++)
          {
            double want = kind ? overlap[i] : philia_linkpred_result_hits (report->results[i], 30);

            g_assert_cmpfloat (fabs (g_array_index (values, double, i) - want), <, 1e-12);
          }

        if (f == 0)
          assert_raster ((const char *[]) { "true", NULL }, out, 400, 300);
        else if (f == 1 && rsvg != NULL)
          assert_raster ((const char *[]) { "rsvg-convert", "-w", "400", "-h", "300", "-b",
                                            "white", out, "-o", raster, NULL }, raster, 400, 300);
        else if (f == 2 && ppm != NULL)
          assert_raster ((const char *[]) { "pdftoppm", "-png", "-r", "72", "-singlefile", out,
                                            base, NULL }, raster, 400, 300);
      }
}

static void
test_linkpred_figure_errors (void)
{
  g_autofree char *cora = cora_path ();
  g_auto(Run) k = { 0 };
  g_auto(Run) h = { 0 };
  g_auto(Run) fp = { 0 };
  g_autoptr(TmpDir) dir = g_dir_make_tmp ("philia-prox-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "x.png", NULL);
  g_autofree char *edges = g_build_filename (dir, "e.txt", NULL);

  run_cli (&k, "figure", cora, "--kind", "hits", "--k", "0", "--out", out, NULL);
  assert_one_line_error (&k, 2, "--k");
  run_cli (&h, "figure", cora, "--kind", "overlap", "--heuristics", "cn,nope", "--out", out,
           NULL);
  assert_one_line_error (&h, 2, "nope");
  /* A featureless graph asked for fp only: nothing left to evaluate. */
  g_assert_true (g_file_set_contents (edges, "0 1\n1 2\n2 3\n3 4\n4 0\n0 2\n5 6\n6 7\n"
                                             "7 8\n8 9\n9 5\n1 7\n2 8\n3 9\n4 6\n", -1,
                                      NULL));
  run_cli (&fp, "figure", edges, "--kind", "hits", "--heuristics", "fp", "--out", out, NULL);
  assert_one_line_error (&fp, 2, "features");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/CliProximity/csv", test_proximity_csv);
  g_test_add_func ("/Philia/CliProximity/json", test_proximity_json);
  g_test_add_func ("/Philia/CliProximity/bippr", test_proximity_bippr);
  g_test_add_func ("/Philia/CliProximity/errors", test_proximity_errors);
  g_test_add_func ("/Philia/CliProximity/linkpred", test_linkpred);
  g_test_add_func ("/Philia/CliProximity/linkpred-errors", test_linkpred_errors);
  g_test_add_func ("/Philia/CliProximity/help", test_help);
  g_test_add_func ("/Philia/CliProximity/linkpred-figures", test_linkpred_figures);
  g_test_add_func ("/Philia/CliProximity/linkpred-figure-errors", test_linkpred_figure_errors);

  return g_test_run ();
}
