/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GAT at the shapes without a loop of their own (philia-ops-gat.c,
 * philia-ops-attention.c): per-head widths not a multiple of 8 and head
 * counts other than 8, whose rows go in vectors (a row as heads·d floats,
 * the heads in lanes for the sums), against the scalar loops they replace,
 * bit for bit: the fused attention op forward and backward, and head_dot
 * forward and backward, on graphs with isolated nodes, hubs, one node and
 * none, at one thread and two. */
#include "config.h"

#include "autograd-test-util.h"
#include "philia-ops-gat-private.h"

#include <math.h>

/* Heads × per-head widths: the widths of the probe (3, 5, 12, 20,
 * 100) at 8 heads and at 1, 2, 4 and 6, odd head counts (3, 5), more than
 * eight heads (12: two groups of lanes), and 8 × 4 and 8 × 8 (their own
 * loops on both sides, as a check of the harness). */
static const guint shapes[][2] = {
  { 8, 3 }, { 8, 5 }, { 8, 12 }, { 8, 20 }, { 8, 100 }, { 8, 7 }, { 8, 9 },
  { 1, 3 }, { 1, 12 }, { 1, 30 }, { 2, 5 }, { 2, 12 }, { 4, 3 }, { 4, 20 },
  { 6, 3 }, { 6, 5 }, { 6, 48 }, { 3, 7 }, { 5, 1 }, { 12, 5 }, { 8, 4 }, { 8, 8 },
};

static void
assert_same (const float *a,
             const float *b,
             gsize        n)
{
  g_assert_cmpmem (a, sizeof (float) * n, b, sizeof (float) * n);
}

/* A random n × n graph: a self-loop on two rows in three, 0 to 12 random
 * entries a row (so some rows are empty: isolated nodes), and column 7 in
 * every fifth row (a hub, a long transpose row). */
static PhiliaSparse *
random_graph (PhiliaRng *rng,
              guint      n)
{
  g_autofree float *dense = g_new0 (float, MAX ((gsize)n * n, 1));

  for (guint i = 0; i < n; i++)
    {
      guint k = (guint)(13 * philia_rng_float (rng));

      if (i % 3 != 0)
        dense[(gsize)i * n + i] = 1;
      for (guint j = 0; j < k && i % 11 != 0; j++)
        dense[(gsize)i * n + (guint)(n * philia_rng_float (rng)) % n] = 1;
      if (i % 5 == 0 && n > 7)
        dense[(gsize)i * n + 7] = 1;
    }
  return philia_sparse_new_from_dense (dense, n, n);
}

/* One graph, every shape: vectors against the scalar loops, bit for bit
 * (outputs, weights, the three gradients), with and without dropout, d wx
 * written outright and added to, one thread and two (which give one
 * thread's bits too). */
static void
check_graph (PhiliaSparse *s,
             PhiliaRng    *rng)
{
  g_autoptr(PhiliaTape) t1 = philia_tape_new (1);
  g_autoptr(PhiliaTape) t2 = philia_tape_new (2);
  guint n = s->rows;

  for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
    for (guint drop = 0; drop < 2; drop++)
      for (guint via_op = 0; via_op < 2; via_op++)
        {
          guint h = shapes[k][0], d = shapes[k][1];
          float p = drop ? 0.6f : 0.0f;
          gsize m = (gsize)n * h * d;
          g_autofree float *r = g_new (float, MAX (m, 1));
          PhiliaTensor *in[3];
          GatRun a, b, c;

          in[0] = param (n, h * d, rng);
          in[1] = param (n, h, rng);
          in[2] = param (n, h, rng);
          for (gsize i = 0; i < m; i++)
            r[i] = 2 * philia_rng_float (rng) - 1;
          _philia_gat_rows_vector = FALSE;
          a = gat_attend_run (t1, s, in, via_op, p, r);
          _philia_gat_rows_vector = TRUE;
          b = gat_attend_run (t1, s, in, via_op, p, r);
          c = gat_attend_run (t2, s, in, via_op, p, r);
          assert_same (a.out, b.out, m);
          assert_same (a.alpha, b.alpha, (gsize)s->nnz * h);
          assert_same (a.gwx, b.gwx, m);
          assert_same (a.gs, b.gs, (gsize)n * h);
          assert_same (a.gd, b.gd, (gsize)n * h);
          assert_same (b.out, c.out, m);
          assert_same (b.gwx, c.gwx, m);
          assert_same (b.gs, c.gs, (gsize)n * h);
          assert_same (b.gd, c.gd, (gsize)n * h);
          for (gsize i = 0; i < m; i++)
            g_assert_true (isfinite (b.out[i]) && isfinite (b.gwx[i]));
          gat_run_free (&a);
          gat_run_free (&b);
          gat_run_free (&c);
          FREE_ALL (in);
        }
}

static void
test_attend (void)
{
  PhiliaRng rng;
  g_autoptr(PhiliaSparse) s = NULL;

  philia_rng_init (&rng, 23);
  s = random_graph (&rng, 203);
  check_graph (s, &rng);
}

/* One node with its self-loop, one without (isolated), and none. */
static void
test_attend_tiny (void)
{
  static const float loop[1] = { 1 }, none[1] = { 0 };
  PhiliaRng rng;
  PhiliaSparse *s;

  philia_rng_init (&rng, 24);
  s = philia_sparse_new_from_dense (loop, 1, 1);
  check_graph (s, &rng);
  philia_sparse_unref (s);
  s = philia_sparse_new_from_dense (none, 1, 1);
  check_graph (s, &rng);
  philia_sparse_unref (s);
  s = philia_sparse_new_from_dense (none, 0, 0);
  check_graph (s, &rng);
  philia_sparse_unref (s);
  s = random_graph (&rng, 9);
  check_graph (s, &rng);
  philia_sparse_unref (s);
}

/* head_dot (the attention's src and dst) forward and backward, vectors
 * against the scalar loops, bit for bit, on 0, 1, 2, 9 and 131 rows. */
static void
test_head_dot (void)
{
  static const guint row_counts[] = { 0, 1, 2, 9, 131 };
  g_autoptr(PhiliaTape) tape = philia_tape_new (1);
  PhiliaRng rng;

  philia_rng_init (&rng, 25);
  for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
    for (guint ri = 0; ri < G_N_ELEMENTS (row_counts); ri++)
      {
        guint h = shapes[k][0], d = shapes[k][1], rows = row_counts[ri];
        PhiliaTensor *x = param (rows, h * d, &rng), *a = param (1, h * d, &rng);
        g_autofree float *r = g_new (float, MAX ((gsize)rows * h, 1));
        float *o[2], *gx[2], *ga[2];

        for (gsize i = 0; i < (gsize)rows * h; i++)
          r[i] = 2 * philia_rng_float (&rng) - 1;
        for (guint v = 0; v < 2; v++)
          {
            PhiliaTensor *out;

            _philia_gat_rows_vector = v == 1;
            philia_tape_reset (tape);
            if (x->grad == NULL)
              x->grad = g_new0 (float, MAX (philia_tensor_size (x), 1));
            if (a->grad == NULL)
              a->grad = g_new0 (float, MAX (philia_tensor_size (a), 1));
            /* Gradients added onto earlier ones, as the two head_dots of
             * a layer add theirs. */
            for (gsize i = 0; i < philia_tensor_size (x); i++)
              x->grad[i] = 0.25f * i;
            for (gsize i = 0; i < philia_tensor_size (a); i++)
              a->grad[i] = -0.5f * i;
            out = _philia_op_head_dot (tape, x, a, h);
            o[v] = copy_floats (out->data, philia_tensor_size (out));
            philia_tape_backward_from (tape, out, r);
            gx[v] = copy_floats (x->grad, philia_tensor_size (x));
            ga[v] = copy_floats (a->grad, philia_tensor_size (a));
          }
        assert_same (o[0], o[1], (gsize)rows * h);
        assert_same (gx[0], gx[1], (gsize)rows * h * d);
        assert_same (ga[0], ga[1], (gsize)h * d);
        for (guint v = 0; v < 2; v++)
          {
            g_free (o[v]);
            g_free (gx[v]);
            g_free (ga[v]);
          }
        philia_tensor_free (x);
        philia_tensor_free (a);
      }
  _philia_gat_rows_vector = TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Philia/GatWidths/attend", test_attend);
  g_test_add_func ("/Philia/GatWidths/attend-tiny", test_attend_tiny);
  g_test_add_func ("/Philia/GatWidths/head-dot", test_head_dot);

  return g_test_run ();
}
