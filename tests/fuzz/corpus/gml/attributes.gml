graph [
  directed 1
  node [ id 0 label "a" class "x" f0 0.5 f1 1 ]
  node [ id 1 label "b" class "y" f0 -1 f1 2e3 ]
  node [ id 2 label "c" f0 0 f1 0 ]
  edge [ source 0 target 1 weight 2 ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 2 ]
]
