graph [
  comment "No names or labels: the numeric GML ids become the node names."
  directed 1
  node [ id 7 ]
  node [ id 5 ]
  node [ id 9 ]
  edge [ source 7 target 5 ]
  edge [ source 5 target 9 ]
  edge [ source 9 target 7 ]
]
