graph [
  node [ id 0 class 0 ]
  node [ id 1 class 1.5 ]
  edge [ source 0 target 1 ]
]
