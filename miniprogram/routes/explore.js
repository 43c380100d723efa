// App launch page (flow B) at the exact path apps open: `/routes/explore?...` (`/routers/explore?...`).
// The logic is in lib/explore.js, the wiring in lib/explore-page.js.
const { explorePage } = require('../lib/explore-page.js');

Page(explorePage(wx));
