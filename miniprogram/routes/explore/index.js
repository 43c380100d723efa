// App launch page (flow B). The logic is in lib/explore.js, the wiring in lib/explore-page.js.
const { explorePage } = require('../../lib/explore-page.js');

Page(explorePage(wx));
