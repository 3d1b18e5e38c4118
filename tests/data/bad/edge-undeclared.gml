# Edge 2 names node 7, which no node declares. igraph refuses it too, but
# without naming the edge or the id.
graph [
  directed 0
  node [ id 1 label "one" ]
  node [ id 2 label "two" graphics [ id 7 ] ]
  edge [ source 1 target 2 ]
  edge [ source 2
         target 7 ]
]
