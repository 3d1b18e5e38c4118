Creator "hand"
Version 1
# value is a class, x and y a position
graph [
  node [ id 5 value 1 x 0.1 y 0.2 graphics [ w 1 ] ]
  node [ id 7 value 0 x 1 y 2 ]
  node [ id 9 value -1 ]
  edge [ source 5 target 7 ]
  edge [ source 7 target 9 ]
]
