/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CLI's text reports in German and Chinese: a project's info, stats and
 * a saved evaluation. Labels are translated and padded by display width (a
 * wide character takes two columns), so every value of a report's left
 * column starts at the same column in any language; the C locale prints the
 * English labels the scripts of earlier releases read. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cli-test-util.h"

/* Display columns from @line up to @at (a wide character takes two). */
static int
columns_until (const char *line,
               const char *at)
{
  int columns = 0;

  for (const char *c = line; c < at; c = g_utf8_next_char (c))
    columns += g_unichar_iswide (g_utf8_get_char (c)) ? 2 : 1;
  return columns;
}

/* Display column at which @value starts in @line, or -1. */
static int
value_column (const char *line,
              const char *value)
{
  const char *at = strstr (line, value);

  return at != NULL ? columns_until (line, at) : -1;
}

/* Display columns of the whole of @line. */
static int
display_width (const char *line)
{
  return columns_until (line, line + strlen (line));
}

/* The line of @text that starts with "  @label". */
static char *
line_of (const char *text,
         const char *label)
{
  g_autofree char *start = g_strconcat ("\n  ", label, " ", NULL);
  const char *at = strstr (text, start);
  const char *end;

  g_assert_nonnull (at);
  at += 1;
  end = strchr (at, '\n');
  return g_strndup (at, end != NULL ? (gsize)(end - at) : strlen (at));
}

typedef struct
{
  const char *language;
  const char *project, *runs, *evaluations, *layouts, *notes, *notes_none;
  const char *edge_homophily, *measure, *saved_run, *negatives;
} Language;

static const Language languages[] = {
  { "C", "Project", "runs", "evaluations", "layouts", "notes", "none",
    "edge homophily", "measure", "saved run 1", "100 negatives per test edge" },
  { "de", "Projekt", "Läufe", "Auswertungen", "Layouts", "Notizen", "keine",
    "Kantenhomophilie", "Maß", "Lauf 1 gespeichert", "100 Negative pro Testkante" },
  { "zh_CN", "项目", "运行", "评估", "布局", "备注", "无",
    "边同质性", "度量", "已保存运行 1", "每条测试边 100 个负样本" },
};

static void
test_reports (void)
{
  g_autofree char *cora = cora_path ();
  g_autofree char *dir = g_dir_make_tmp ("philia-cli-i18n-XXXXXX", NULL);

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      const Language *l = &languages[i];
      g_autofree char *path = g_strdup_printf ("%s/p-%s.philia", dir, l->language);
      g_auto(Run) made = { 0 };
      g_auto(Run) trained = { 0 };
      g_auto(Run) evaluated = { 0 };
      g_auto(Run) info = { 0 };
      g_auto(Run) stats = { 0 };
      const char *labels[] = { l->runs, l->evaluations, l->layouts, l->notes };

      g_test_message ("language %s", l->language);
      if (g_str_equal (l->language, "C"))
        g_unsetenv ("LANGUAGE");
      else
        g_setenv ("LANGUAGE", l->language, TRUE);
      run_cli (&made, "project", "new", path, cora, NULL);
      g_assert_cmpint (made.status, ==, 0);
      run_cli (&trained, "train", path, "--model", "mlp", "--epochs", "2", "--save", NULL);
      g_assert_cmpint (trained.status, ==, 0);
      g_assert_nonnull (strstr (trained.out, l->saved_run));
      run_cli (&evaluated, "linkpred", path, "--heuristic", "cn", "--save", NULL);
      g_assert_cmpint (evaluated.status, ==, 0);
      g_assert_nonnull (strstr (evaluated.out, l->negatives));
      /* Metric names are the literature's in every language. */
      g_assert_nonnull (strstr (evaluated.out, "\nhits@100  "));
      g_assert_nonnull (strstr (evaluated.out, "\nmrr      "));

      run_cli (&info, "info", path, NULL);
      g_assert_cmpint (info.status, ==, 0);
      {
        g_autofree char *heading = g_strconcat ("\n", l->project, "\n", NULL);

        g_assert_nonnull (strstr (info.out, heading));
      }
      /* Every label of the project part pads to one column: 2 + 19. */
      for (guint k = 0; k < G_N_ELEMENTS (labels); k++)
        {
          g_autofree char *line = line_of (strstr (info.out, l->project), labels[k]);
          const char *value = k == 3 ? l->notes_none : k == 2 ? "0" : "1";

          g_test_message ("%s", line);
          g_assert_cmpint (value_column (line, value), ==, 21);
        }

      run_cli (&stats, "stats", path, NULL);
      g_assert_cmpint (stats.status, ==, 0);
      {
        g_autofree char *header = line_of (stats.out, l->measure);
        g_autofree char *edge = line_of (stats.out, l->edge_homophily);

        g_test_message ("%s\n%s", header, edge);
        /* The value column: 2 + 37 columns of label, then %10.6f (Cora's
         * edge homophily is 0.81: two spaces of padding). */
        g_assert_cmpint (value_column (edge, "  0.8"), ==, 39);
        /* The headings are right-aligned over the values. */
        g_assert_cmpint (display_width (header), ==, display_width (edge));
      }
      if (!g_str_equal (l->language, "C"))
        {
          g_assert_null (strstr (info.out, "\n  runs "));
          g_assert_null (strstr (stats.out, "edge homophily"));
        }
    }
  g_unsetenv ("LANGUAGE");
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        g_unlink (file);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Philia/CliI18n/reports", test_reports);
  return g_test_run ();
}
