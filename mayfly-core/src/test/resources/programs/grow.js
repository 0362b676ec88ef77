// Allocates without bound, about 2 MB at a time, and keeps it all.
const kept = [];
for (let n = 1; ; n++) {
  kept.push(new Array(250000).fill(n));
  if (n % 50 === 0) console.log("chunks", n);
}
