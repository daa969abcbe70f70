"""The citizen budget's addresses: the public ones under /medborgarbudget/, the staff ones
under /personal/medborgarbudget/. Each part keeps its views in its own module: the round and
its steps (round_views), ideas (idea_views, idea_staff_views), voting (vote_views), counting,
result and decision (result_views), implementation (progress_views)."""

from django.urls import path

from torget.budget import (
    idea_staff_views,
    idea_views,
    progress_views,
    result_views,
    round_views,
    vote_views,
)

app_name = "budget"

R = "medborgarbudget/<int:pk>/"
S = "personal/medborgarbudget/<int:pk>/"

urlpatterns = [
    # The round (round_views)
    path("medborgarbudget/", round_views.index, name="index"),
    path(R, round_views.round, name="round"),
    path("personal/medborgarbudget/", round_views.staff_index, name="staff_index"),
    path("personal/medborgarbudget/ny/", round_views.staff_new, name="staff_new"),
    path(S, round_views.staff_round, name="staff_round"),
    path(S + "andra/", round_views.staff_edit, name="staff_edit"),
    path(S + "godkannande/", round_views.staff_approve, name="staff_approve"),
    path(S + "steg/<str:step>/", round_views.staff_step, name="staff_step"),
    # Ideas (idea_views, idea_staff_views)
    path(R + "ideer/", idea_views.ideas, name="ideas"),
    path(R + "ideer/ny/", idea_views.idea_new, name="idea_new"),
    path(R + "ideer/<int:number>/", idea_views.idea, name="idea"),
    path(R + "ideer/<int:number>/bild/", idea_views.idea_image, name="idea_image"),
    path(R + "ideer/<int:number>/kommentera/", idea_views.comment, name="comment"),
    path(R + "ideer/<int:number>/intresse/", idea_views.interest, name="interest"),
    path(
        R + "ideer/<int:number>/sammanslagning/<int:merge_pk>/",
        idea_views.merge_consent,
        name="merge_consent",
    ),
    path(S + "ideer/", idea_staff_views.ideas, name="staff_ideas"),
    path(S + "ideer/<int:number>/", idea_staff_views.idea, name="staff_idea"),
    path(S + "ideer/<int:number>/granska/", idea_staff_views.review, name="staff_review"),
    path(S + "ideer/<int:number>/sammanslagning/", idea_staff_views.merge, name="staff_merge"),
    path(
        S + "ideer/<int:number>/sammanslagning/<int:merge_pk>/samtycke/",
        idea_staff_views.merge_consent,
        name="staff_merge_consent",
    ),
    path(
        S + "kommentarer/<int:comment_pk>/dolj/",
        idea_staff_views.comment_hide,
        name="staff_comment_hide",
    ),
    # Voting (vote_views)
    path(R + "rosta/", vote_views.ballot, name="ballot"),
    path(R + "rosta/bekrafta/", vote_views.confirm, name="ballot_confirm"),
    path(R + "rosta/klart/", vote_views.done, name="ballot_done"),
    path(S + "assisterad-rost/", vote_views.assisted, name="staff_assisted"),
    # Counting, result and decision (result_views)
    path(R + "resultat/", result_views.result, name="result"),
    path(S + "rakning/", result_views.staff_count, name="staff_count"),
    path(S + "beslut/", result_views.staff_decision, name="staff_decision"),
    # Implementation (progress_views)
    path(R + "projekt/", progress_views.projects, name="projects"),
    path(
        "medborgarbudget/lagesrapport/<int:update_pk>/foto/",
        progress_views.update_photo,
        name="update_photo",
    ),
    path(S + "projekt/", progress_views.staff_projects, name="staff_projects"),
    path(S + "projekt/<int:number>/", progress_views.staff_project, name="staff_project"),
]
