Creator "Philia tests: a triangle and a node whose only edge is a self-loop"
graph [
  directed 0
  node [ id 1 label "A" community 1 f1 0.25 f0 1 ]
  node [ id 2 label "B" community 0 f1 0.5 f0 2 ]
  node [ id 3 label "C" community -1 f1 0.75 f0 3 ]
  node [ id 4 label "D" community 1 f1 1 f0 4 ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 3 ]
  edge [ source 3 target 1 ]
  edge [ source 4 target 4 ]
]
