/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "philia-core.h"
#include "philia-render.h"

G_BEGIN_DECLS

/*
 * What the files of philia-cli share: the exit codes, option parsing and
 * error lines of philia-cli-util.c, the commands (one file each), and the
 * project support of philia-cli-project.c (HACKING.md §9).
 */

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,   /* the input or the computation failed */
  EXIT_USAGE = 2,    /* the command line is wrong */
};

/* --- philia-cli-util.c ----------------------------------------------------- */
extern char *opt_nodes;
extern gboolean opt_json;

void         print_json    (PhiliaJson    *json);
int          fail          (GError        *error);
int          usage_error   (const char    *command,
                            const char    *message);
gboolean     parse_options (const char    *command,
                            const char    *args,
                            const char    *summary,
                            GOptionEntry  *extra,
                            int           *argc,
                            char        ***argv,
                            int            n_positional,
                            int           *exit_code);
/* The one place the CLI reads its input: a dataset, or a project (then the
 * project's graph, and cli_project_get() is the project). */
PhiliaGraph *load_dataset  (const char    *path,
                            GError       **error);
/* --features FILE (stats, train, proximity, linkpred) and the JSON member
 * "features" naming what was used. */
extern char *opt_features;
void         cli_json_features (PhiliaJson    *json);
/* The name of the project's feature set the loaded graph carries
 * ("original" for its own), NULL when --features gave a file or spec the
 * project does not hold. */
const char  *cli_features_project_set (void);
/* The features' name as the JSON's "features" gives it. */
const char  *cli_features_name (void);
/* What cli_json_features() names when the dataset was read without
 * load_dataset() (proximity --stream). */
void         cli_json_features_set_loaded (const char *source,
                                           guint       columns);
/* "  LABEL" padded to @width columns (a wide character takes two), the
 * left column of the text reports, in any language. */
void         cli_label         (const char    *label,
                                int            width);
/* @text padded with spaces (at least one) to @width display columns. */
void         cli_pad           (const char    *text,
                                int            width);
/* The text report of a link-prediction evaluation (proximity, linkpred). */
void         cli_linkpred_text_header  (const char                 *file,
                                        const PhiliaLinkpredResult *result,
                                        const PhiliaLinkSplit      *split,
                                        gint64                      seed);
void         cli_linkpred_text_metrics (const PhiliaLinkpredResult *result,
                                        const PhiliaLinkSplit      *split);
void         cli_linkpred_text_features (void);
/* linkpred --save on a project: refuses features the project cannot replay
 * the evaluation with (a file or spec rather than one of its sets). */
gboolean     cli_linkpred_check_save_features (GError **error);
/* "1, 2 and 4", in the user's language. */
char        *cli_id_list       (const guint   *ids,
                                guint          n);
/* @text right-aligned in @width display columns, no padding after. */
void         cli_right         (const char    *text,
                                int            width);
/* The members stats --json ends its label measures with, loaded or
 * streamed alike: compatibility counts, class homophily per class and the
 * local homophily histogram of @bins bins. */
void         cli_json_class_structure (PhiliaJson            *json,
                                       const PhiliaHomophily *h,
                                       const gint64          *histogram,
                                       guint                  bins);
/* "a, b or c": the ids registered in @family, built-ins and plugins alike. */
char        *registry_ids  (PhiliaFamily   family);

/* --- one file per command: philia-cli-COMMAND.c ----------------------------- */
int          cmd_info      (int argc, char **argv);
int          cmd_stats     (int argc, char **argv);
int          cmd_figure    (int argc, char **argv);
int          cmd_layout    (int argc, char **argv);
int          cmd_generate  (int argc, char **argv);
int          cmd_train     (int argc, char **argv);
int          cmd_proximity (int argc, char **argv);
int          cmd_linkpred  (int argc, char **argv);
int          cmd_plugins   (int argc, char **argv);
int          cmd_predict   (int argc, char **argv);
int          cmd_adapt     (int argc, char **argv);
/* philia-cli-predict.c: a number or null; the saved model's identity. */
void         cli_json_nullable    (PhiliaJson             *json,
                                   const char             *key,
                                   double                  value);
void         cli_saved_model_json (PhiliaJson             *json,
                                   const PhiliaSavedModel *model);
/* philia-cli-linkpred.c: linkpred --model (cmd_linkpred hands over to it). */
int          cmd_linkpred_model (int argc, char **argv);
gboolean     cli_linkpred_wants_model (int argc, char **argv);
/* The "factors" member: what explains the test links (linkpred --factors, figure). */
void         cli_json_link_factors (PhiliaJson                   *json,
                                    const PhiliaLinkFactors      *factors,
                                    PhiliaLinkpredResult * const *results);
/* philia-cli-proximity.c: an option-shaped error from the core is a usage
 * error, anything else a failure (proximity, linkpred, figure). */
int          proximity_fail (const char   *command,
                             GError       *error);

/* --- philia-cli-project.c ------------------------------------------------- */
/* --dataset PATH and --ignore-checksum, for every command that reads a file. */
extern GOptionEntry cli_project_open_entries[];
/* --save and --name (layout, train, linkpred) and --run (figure). */
extern gboolean opt_save;
extern char *opt_save_name;
extern char *opt_run;

int             cmd_project           (int          argc,
                                       char       **argv);
/* Whether @path is a project: its first bytes, or its extension. */
gboolean        cli_is_project        (const char  *path);
PhiliaGraph    *cli_project_load      (const char  *path,
                                       GError     **error);
/* Refuses --dataset and --ignore-checksum for a dataset @path. */
gboolean        cli_project_refuse_open_options (const char  *path,
                                                 GError     **error);
/* The project load_dataset() opened, or NULL when it read a dataset. */
PhiliaDocument *cli_project_get       (void);
/* The project's file as the user named it, or NULL. */
const char     *cli_project_get_path  (void);
/* Refuses --save for a dataset (before loading it): FALSE and *@code set. */
gboolean        cli_project_check_save (const char *command,
                                        const char *path,
                                        int        *code);
/* Gives the project the splits of @graph (the same nodes). */
void            cli_project_set_splits (PhiliaGraph *graph);
/* Writes the project back to @path (atomically, by the core). */
gboolean        cli_project_save      (const char  *path,
                                       GError     **error);
/* The layout name --name gives, or @algorithm made unique ("fr", "fr 2", …). */
char           *cli_project_layout_name (PhiliaDocument *document,
                                         const char     *algorithm);
/* info: the "project" member, and the "Project" section. */
void            cli_project_info_json (PhiliaJson  *json);
void            cli_project_info_text (void);
/* The runs --run names ("3" or "1,4"); with @single exactly one. */
GPtrArray      *cli_project_runs      (PhiliaDocument *document,
                                       gboolean        single,
                                       GError        **error);

/* figure --kind graph from a project: the positions of --layout NAME or of
 * the current layout (NULL if the project has none, or --layout names an
 * algorithm instead), and the view's colouring and edge style unless
 * --color-by or --edges say otherwise. */
typedef struct
{
  PhiliaGraphView  view;
  double          *positions_owned;
  gint32          *categories;
  GPtrArray       *category_names;
  double          *node_values;
  double          *edge_values;
  char            *value_title;
  char            *edge_title;
} CliProjectView;

gboolean        cli_project_graph_view (PhiliaDocument *document,
                                        const char     *layout,
                                        const char     *color_by,
                                        const char     *edges,
                                        CliProjectView *out,
                                        GError        **error);
void            cli_project_view_clear (CliProjectView *view);

G_END_DECLS
