import factory

from koshiqon.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")
    role = "regional_officer"

    @factory.post_generation
    def region_codes(self, create, extracted, **kwargs):
        if create and extracted:
            from koshiqon.reference.models import Region

            self.regions.set(Region.objects.filter(code__in=extracted))
