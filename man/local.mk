# mdoc manual pages
