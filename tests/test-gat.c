/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GAT's fused attention-and-aggregation op (philia-ops-gat.c): finite
 * differences on every kernel shape, the unfused ops (edge_attention then
 * spmm) on a random graph, thread counts, and the degenerate graphs. */
#include "config.h"

#include "autograd-test-util.h"
#include "philia-ops-gat-private.h"
#include "philia-simd-private.h"

#include <math.h>

/* Heads × per-head widths: each of the kernels' shapes (eight heads of 1, 2,
 * 4, 8, 16, 32 and 64; one head of 2 to 7 and of multiples of 8) and the
 * general loop (3 heads of 2, 2 of 5, 8 of 3, 8 of 24). */
static const guint shapes[][2] = {
  { 8, 1 }, { 8, 2 }, { 8, 4 }, { 8, 8 }, { 8, 16 }, { 8, 32 }, { 8, 64 }, { 8, 24 },
  { 8, 3 }, { 1, 5 }, { 1, 2 }, { 1, 7 }, { 1, 8 }, { 1, 24 }, { 1, 1 }, { 3, 2 },
  { 2, 5 },
};

typedef struct
{
  PhiliaSparse *s;
  float         p;
} GatCase;

static PhiliaTensor *
build_gat (PhiliaTape    *tape,
           PhiliaTensor **in,
           gpointer       data)
{
  GatCase *c = data;

  return _philia_op_gat_attend (tape, c->s, in[0], in[1], in[2], 0.2f, c->p, NULL);
}

/* Scores kept off LeakyReLU's kink: |dst + src| ≥ 0.4. */
static void
away_from_kink (PhiliaTensor *src,
                PhiliaTensor *dst)
{
  for (gsize i = 0; i < philia_tensor_size (src); i++)
    src->data[i] = src->data[i] > 0 ? 0.6f + src->data[i] : -0.6f + src->data[i];
  for (gsize i = 0; i < philia_tensor_size (dst); i++)
    dst->data[i] *= 0.2f;
}

static void
test_gat_gradients (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;

  philia_rng_init (&rng, 31);
  s = small_sparse (6, 6, &rng);
  for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
    for (guint drop = 0; drop < 2; drop++)
      {
        guint h = shapes[k][0], d = shapes[k][1];
        GatCase c = { s, drop ? 0.3f : 0.0f };
        PhiliaTensor *in[3];

        in[0] = param (6, h * d, &rng);
        in[1] = param (6, h, &rng);
        in[2] = param (6, h, &rng);
        away_from_kink (in[1], in[2]);
        check_gradients ("gat_attend", build_gat, in, 3, &c, 3e-3);
        FREE_ALL (in);
      }
}

/* One step of the fused op (or of edge_attention then spmm) from the tape
 * seed 5, backward from @r: the output, the weights before dropout and the
 * three inputs' gradients. */
static GatRun
gat_run (PhiliaTape    *tape,
         PhiliaSparse  *s,
         PhiliaTensor **in,
         gboolean       fused,
         float          p,
         const float   *r)
{
  PhiliaTensor *o, *alpha;
  guint h = in[1]->cols;

  philia_tape_reset (tape);
  philia_tape_set_training (tape, TRUE);
  philia_rng_init (philia_tape_get_rng (tape), 5);
  for (guint k = 0; k < 3; k++)
    philia_tensor_zero_grad (in[k]);
  if (fused)
    o = _philia_op_gat_attend (tape, s, in[0], in[1], in[2], 0.2f, p, &alpha);
  else
    {
      PhiliaRng saved = *philia_tape_get_rng (tape);

      /* The weights before dropout from an evaluation-mode pass, then the
       * training one from the same seed. */
      philia_tape_set_training (tape, FALSE);
      alpha = philia_op_edge_attention (tape, s, in[1], in[2], 0.2f, p);
      philia_tape_set_training (tape, TRUE);
      *philia_tape_get_rng (tape) = saved;
      o = philia_op_spmm (tape, s, philia_op_edge_attention (tape, s, in[1], in[2], 0.2f, p),
                          in[0]);
    }
  return gat_run_capture (tape, o, alpha, (gsize)s->nnz * h, in, r);
}

static void
assert_close (const float *a,
              const float *b,
              gsize        n,
              double       tolerance)
{
  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (isfinite (a[i]));
      g_assert_cmpfloat (fabs ((double)a[i] - b[i]), <=, tolerance * MAX (1.0, fabs (b[i])));
    }
}

/* Against edge_attention and spmm, on a 600-node graph of 5% density with
 * self-loops: the weights equal (the same arithmetic), the output and the
 * gradients within 2e-5 relative (the sums' order differs: one gather per
 * source in the backward pass); two threads give one thread's result. */
static void
test_gat_unfused (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
  g_autofree float *dense = NULL;
  guint n = 600;

  philia_rng_init (&rng, 32);
  dense = g_new0 (float, (gsize)n * n);
  for (gsize i = 0; i < (gsize)n * n; i++)
    if (philia_rng_float (&rng) < 0.05f || i % (n + 1) == 0)
      dense[i] = 1;
  s = philia_sparse_new_from_dense (dense, n, n);
  for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
    for (guint drop = 0; drop < 2; drop++)
      {
        guint h = shapes[k][0], d = shapes[k][1];
        float p = drop ? 0.6f : 0.0f;
        gsize m = (gsize)n * h * d;
        g_autofree float *r = g_new (float, m);
        PhiliaTensor *in[3];
        GatRun a, b, c;

        in[0] = param (n, h * d, &rng);
        in[1] = param (n, h, &rng);
        in[2] = param (n, h, &rng);
        for (gsize i = 0; i < m; i++)
          r[i] = 2 * philia_rng_float (&rng) - 1;
        a = gat_run (t1, s, in, FALSE, p, r);
        b = gat_run (t1, s, in, TRUE, p, r);
        c = gat_run (t2, s, in, TRUE, p, r);
        g_assert_cmpmem (a.alpha, sizeof (float) * s->nnz * h, b.alpha,
                         sizeof (float) * s->nnz * h);
        assert_close (b.out, a.out, m, 2e-5);
        assert_close (b.gwx, a.gwx, m, 2e-5);
        assert_close (b.gs, a.gs, (gsize)n * h, 2e-5);
        assert_close (b.gd, a.gd, (gsize)n * h, 2e-5);
        g_assert_cmpmem (b.out, sizeof (float) * m, c.out, sizeof (float) * m);
        g_assert_cmpmem (b.gwx, sizeof (float) * m, c.gwx, sizeof (float) * m);
        g_assert_cmpmem (b.gs, sizeof (float) * n * h, c.gs, sizeof (float) * n * h);
        g_assert_cmpmem (b.gd, sizeof (float) * n * h, c.gd, sizeof (float) * n * h);
        gat_run_free (&a);
        gat_run_free (&b);
        gat_run_free (&c);
        FREE_ALL (in);
      }
}

/* A random n × n graph as a dense 0/1 matrix: a self-loop on two rows in
 * three and 0 to 12 random entries a row; with @hubs, column 7 also in
 * every seventh row and column 11 in every ninth (about 43 and 33 entries
 * at 301 nodes). */
static float *
random_dense_graph (PhiliaRng *rng,
                    guint      n,
                    gboolean   hubs)
{
  float *dense = g_new0 (float, (gsize)n * n);

  for (guint i = 0; i < n; i++)
    {
      guint k = (guint)(13 * philia_rng_float (rng));

      if (i % 3 != 0)
        dense[(gsize)i * n + i] = 1;
      for (guint j = 0; j < k; j++)
        dense[(gsize)i * n + (guint)(n * philia_rng_float (rng)) % n] = 1;
      if (hubs && i % 7 == 0)
        dense[(gsize)i * n + 7] = 1;
      if (hubs && i % 9 == 0)
        dense[(gsize)i * n + 11] = 1;
    }
  return dense;
}

/* One head in lanes (rows of one to eight entries) against the general
 * loops, bit for bit: outputs, weights and the three gradients, with and
 * without dropout, one thread and two, d wx written outright (wx an op's
 * output) and added to (a parameter's gradient), on a graph whose rows hold
 * 0 to 12 entries, the widths of one to eight columns (the lanes) and nine
 * (the general loops on both sides). */
static void
test_gat_lanes (void)
{
  static const guint widths[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
  g_autofree float *dense = NULL;
  guint n = 700;

  philia_rng_init (&rng, 33);
  dense = random_dense_graph (&rng, n, FALSE);
  s = philia_sparse_new_from_dense (dense, n, n);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    for (guint drop = 0; drop < 2; drop++)
      for (guint via_op = 0; via_op < 2; via_op++)
        for (guint threads = 1; threads <= 2; threads++)
          {
            guint d = widths[k];
            float p = drop ? 0.6f : 0.0f;
            gsize m = (gsize)n * d;
            g_autofree float *r = g_new (float, m);
            PhiliaTape *tape = threads == 1 ? t1 : t2;
            PhiliaTensor *in[3];
            GatRun a, b;

            in[0] = param (n, d, &rng);
            in[1] = param (n, 1, &rng);
            in[2] = param (n, 1, &rng);
            for (gsize i = 0; i < m; i++)
              r[i] = 2 * philia_rng_float (&rng) - 1;
            _philia_gat_rows_in_lanes = FALSE;
            a = gat_attend_run (tape, s, in, via_op, p, r);
            _philia_gat_rows_in_lanes = TRUE;
            b = gat_attend_run (tape, s, in, via_op, p, r);
            g_assert_cmpmem (a.out, sizeof (float) * m, b.out, sizeof (float) * m);
            g_assert_cmpmem (a.alpha, sizeof (float) * s->nnz, b.alpha, sizeof (float) * s->nnz);
            g_assert_cmpmem (a.gwx, sizeof (float) * m, b.gwx, sizeof (float) * m);
            g_assert_cmpmem (a.gs, sizeof (float) * n, b.gs, sizeof (float) * n);
            g_assert_cmpmem (a.gd, sizeof (float) * n, b.gd, sizeof (float) * n);
            gat_run_free (&a);
            gat_run_free (&b);
            FREE_ALL (in);
          }
}

/* Eight heads of 64 and 128 columns: the source pass in one loop (each
 * gathered row of d out read once for d wx and the dots) against its two
 * separate loops, bit for bit: outputs, weights and the three gradients,
 * with and without dropout, one thread and two, d wx written outright and
 * added to, on a graph whose transpose rows hold 0 to 12 entries and, for
 * two hub columns, more than the fused loop takes (its fallback). */
static void
test_gat_source_fused (void)
{
  static const guint widths[] = { 64, 128 };
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
  g_autofree float *dense = NULL;
  guint n = 301, h = 8;

  philia_rng_init (&rng, 44);
  dense = random_dense_graph (&rng, n, TRUE);
  s = philia_sparse_new_from_dense (dense, n, n);
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    for (guint drop = 0; drop < 2; drop++)
      for (guint via_op = 0; via_op < 2; via_op++)
        for (guint threads = 1; threads <= 2; threads++)
          {
            guint d = widths[k];
            float p = drop ? 0.6f : 0.0f;
            gsize m = (gsize)n * h * d;
            g_autofree float *r = g_new (float, m);
            PhiliaTape *tape = threads == 1 ? t1 : t2;
            PhiliaTensor *in[3];
            GatRun a, b;

            in[0] = param (n, h * d, &rng);
            in[1] = param (n, h, &rng);
            in[2] = param (n, h, &rng);
            for (gsize i = 0; i < m; i++)
              r[i] = 2 * philia_rng_float (&rng) - 1;
            _philia_gat_source_fused = FALSE;
            a = gat_attend_run (tape, s, in, via_op, p, r);
            _philia_gat_source_fused = TRUE;
            b = gat_attend_run (tape, s, in, via_op, p, r);
            g_assert_cmpmem (a.out, sizeof (float) * m, b.out, sizeof (float) * m);
            g_assert_cmpmem (a.alpha, sizeof (float) * s->nnz * h, b.alpha,
                             sizeof (float) * s->nnz * h);
            g_assert_cmpmem (a.gwx, sizeof (float) * m, b.gwx, sizeof (float) * m);
            g_assert_cmpmem (a.gs, sizeof (float) * n * h, b.gs, sizeof (float) * n * h);
            g_assert_cmpmem (a.gd, sizeof (float) * n * h, b.gd, sizeof (float) * n * h);
            gat_run_free (&a);
            gat_run_free (&b);
            FREE_ALL (in);
          }
}

/* A node without entries (no self-loop) sums nothing: a zero row, no NaN;
 * a duplicate entry counts twice in the softmax, as in edge_attention; a
 * single node with its self-loop passes its row through (α = 1); the empty
 * graph gives an empty output. Hand-computed. */
static void
test_gat_degenerate (void)
{
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaTensor *in[3], *o, *alpha;
  PhiliaSparse *s;
  gint64 *off = g_new (gint64, 4);
  gint32 *col = g_new (gint32, 3);

  /* Rows: 0 ← {1, 1} (a duplicate), 1 ← {} (isolated), 2 ← {2} (self-loop). */
  off[0] = 0;
  off[1] = 2;
  off[2] = 2;
  off[3] = 3;
  col[0] = 1;
  col[1] = 1;
  col[2] = 2;
  s = philia_sparse_new (3, 3, off, col, NULL);
  in[0] = philia_tensor_new (3, 2);
  in[1] = philia_tensor_new (3, 1);
  in[2] = philia_tensor_new (3, 1);
  for (guint i = 0; i < 6; i++)
    in[0]->data[i] = i + 1;
  in[1]->data[1] = 0.5f;
  in[1]->data[2] = -1.0f;
  philia_tape_set_training (tape, FALSE);
  o = _philia_op_gat_attend (tape, s, in[0], in[1], in[2], 0.2f, 0.5f, &alpha);
  /* Row 0: two equal scores, α = 1/2 each, out = wx_1. */
  g_assert_cmpfloat (alpha->data[0], ==, 0.5f);
  g_assert_cmpfloat (alpha->data[1], ==, 0.5f);
  g_assert_cmpfloat (o->data[0], ==, 3);
  g_assert_cmpfloat (o->data[1], ==, 4);
  g_assert_cmpfloat (o->data[2], ==, 0);
  g_assert_cmpfloat (o->data[3], ==, 0);
  g_assert_cmpfloat (alpha->data[2], ==, 1);
  g_assert_cmpfloat (o->data[4], ==, 5);
  g_assert_cmpfloat (o->data[5], ==, 6);
  philia_tape_reset (tape);
  philia_sparse_unref (s);
  FREE_ALL (in);

  {
    gint64 *off0 = g_new0 (gint64, 1);
    gint32 *col0 = g_new (gint32, 1);

    s = philia_sparse_new (0, 0, off0, col0, NULL);
    in[0] = philia_tensor_new (0, 16);
    in[1] = philia_tensor_new (0, 8);
    in[2] = philia_tensor_new (0, 8);
    philia_tape_set_training (tape, TRUE);
    o = _philia_op_gat_attend (tape, s, in[0], in[1], in[2], 0.2f, 0.5f, NULL);
    g_assert_cmpuint (o->rows, ==, 0);
    g_assert_cmpuint (o->cols, ==, 16);
    philia_tape_reset (tape);
    philia_sparse_unref (s);
    FREE_ALL (in);
  }
}

/* The dropout mask's eight bytes as lanes (v8_kept, which the attention
 * dropout and every dropout kernel read): each lane all ones exactly where
 * its own byte is nonzero, for every byte value in every position beside
 * random neighbours. */
static void
test_gat_mask_lanes (void)
{
  PhiliaRng rng;

  philia_rng_init (&rng, 7);
  for (guint lane = 0; lane < 8; lane++)
    for (guint b = 0; b < 256; b++)
      {
        guint8 mask[8];
        V8i kept;

        for (guint i = 0; i < 8; i++)
          mask[i] = philia_rng_float (&rng) < 0.5f ? 0 : 1 + (guint)(254 * philia_rng_float (&rng));
        mask[lane] = (guint8)b;
        kept = v8_kept (mask);
        for (guint i = 0; i < 8; i++)
          g_assert_cmpint (kept[i], ==, mask[i] != 0 ? -1 : 0);
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/Gat/gradients", test_gat_gradients);
  g_test_add_func ("/Philia/Gat/unfused", test_gat_unfused);
  g_test_add_func ("/Philia/Gat/lanes", test_gat_lanes);
  g_test_add_func ("/Philia/Gat/source-fused", test_gat_source_fused);
  g_test_add_func ("/Philia/Gat/degenerate", test_gat_degenerate);
  g_test_add_func ("/Philia/Gat/mask-lanes", test_gat_mask_lanes);

  return g_test_run ();
}
