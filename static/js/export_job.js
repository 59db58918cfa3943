// An export job's page: asks the server how far the job is every two seconds, shows it, and
// reloads the page when the job is done (the page then offers the download).
const job = document.querySelector("[data-export-job]");
if (job) {
  const follow = async () => {
    try {
      const response = await fetch(job.dataset.progressUrl, { credentials: "same-origin" });
      if (response.ok) {
        const progress = await response.json();
        job.querySelector("[data-done]").textContent = progress.done;
        job.querySelector("[data-percent]").value = progress.percent;
        if (progress.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(follow, 2000);
  };
  window.setTimeout(follow, 2000);
}
